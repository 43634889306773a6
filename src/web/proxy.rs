//! The client address behind reverse proxies: only when the connection comes from a
//! trusted proxy (`trusted_proxies`, CIDRs) is `X-Forwarded-For` believed, and then the
//! right-most address in it that is not itself a trusted proxy is the client. Rate limits
//! and logs key on that address.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// One network, `address/prefix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(s: &str) -> Result<Net, String> {
        let (a, p) = s.split_once('/').unwrap_or((s, ""));
        let addr: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an address or CIDR"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = if p.is_empty() {
            max
        } else {
            p.trim()
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("{s:?} has a bad prefix length"))?
        };
        Ok(Net { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Net>);

impl TrustedProxies {
    /// Parses `trusted_proxies` entries (addresses or CIDRs).
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        entries
            .into_iter()
            .map(Net::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for value in headers.get_all("x-forwarded-for").iter().rev() {
            let Ok(v) = value.to_str() else { return client };
            for hop in v.rsplit(',') {
                let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                    return client;
                };
                client = ip;
                if !self.trusts(ip) {
                    return ip;
                }
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().expect("value"));
        }
        h
    }

    #[test]
    fn only_trusted_peers_are_believed_and_the_rightmost_untrusted_hop_wins() {
        let t = TrustedProxies::parse(["10.0.0.0/8", "::1"]).expect("valid");
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let spoof = headers(&["6.6.6.6, 7.7.7.7"]);
        assert_eq!(t.client(ip("203.0.113.9"), &spoof), ip("203.0.113.9"));
        assert_eq!(t.client(ip("10.1.2.3"), &spoof), ip("7.7.7.7"));
        let chain = headers(&["6.6.6.6", "198.51.100.7, 10.0.0.2"]);
        assert_eq!(t.client(ip("10.0.0.1"), &chain), ip("198.51.100.7"));
        assert_eq!(t.client(ip("::1"), &headers(&[])), ip("::1"));
        assert_eq!(
            t.client(ip("10.0.0.1"), &headers(&["garbage"])),
            ip("10.0.0.1")
        );
        assert!(TrustedProxies::parse(["10.0.0.0/33"]).is_err());
        assert!(TrustedProxies::parse(["nope"]).is_err());
    }
}
