//! Which addresses the fetcher may connect to: every public address, and the private ones
//! (loopback, RFC 1918, link-local, CGNAT, multicast, IPv4-mapped …) only when the
//! `fetch_allow` list names their host or network. Checked by the resolver at connect time,
//! so a name that resolves to 10.0.0.1 is refused as surely as a literal `10.0.0.1`.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use ipnet::IpNet;

/// Hosts and networks the operator allows although they are private (`fetch_allow`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllowList {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

impl AllowList {
    /// Parses entries such as `feeds.intranet`, `127.0.0.1`, `10.0.0.0/8`, `::1`; an entry
    /// that is none of these is an error naming it.
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<AllowList, String> {
        let mut list = AllowList::default();
        for e in entries.into_iter().map(str::trim).filter(|e| !e.is_empty()) {
            if let Ok(net) = e.parse::<IpNet>() {
                list.nets.push(net);
            } else if let Ok(ip) = e.trim_matches(['[', ']']).parse::<IpAddr>() {
                list.nets.push(IpNet::from(ip));
            } else if e
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                list.hosts
                    .push(e.trim_end_matches('.').to_ascii_lowercase());
            } else {
                return Err(format!(
                    "fetch_allow entry {e:?} is not a host name, an address or a CIDR"
                ));
            }
        }
        Ok(list)
    }

    /// Whether every address of `host` is allowed because the host itself is listed.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    /// Whether `ip` is in a listed network.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// Why connecting to `ip` (of `host`) is refused, or `None` when it may be reached.
    pub fn refusal(&self, host: &str, ip: IpAddr) -> Option<Refused> {
        if self.allows_host(host) || self.allows_ip(ip) {
            return None;
        }
        forbidden(ip).map(|what| Refused {
            host: host.to_string(),
            ip,
            what,
        })
    }
}

/// A connection the guard refused: the host, the address it led to, and what kind of
/// address that is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "refused: {host} is {what} ({ip}); list the host or its network in fetch_allow (SAHIFA_FETCH_ALLOW) to fetch it"
)]
pub struct Refused {
    pub host: String,
    pub ip: IpAddr,
    pub what: &'static str,
}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => "an unspecified address",
        _ if ip.is_loopback() => "a loopback address",
        _ if ip.is_private() => "a private address",
        _ if ip.is_link_local() => "a link-local address (cloud metadata lives there)",
        (100, 64..=127, _) => "a carrier-grade NAT address",
        _ if ip.is_multicast() => "a multicast address",
        _ if ip.is_broadcast() => "the broadcast address",
        (0, _, _) => "a this-network address",
        (192, 0, 0) => "an IETF protocol address",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation address",
        (198, 18..=19, _) => "a benchmarking address",
        (240..=255, _, _) => "a reserved address",
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    if ip.is_unspecified() {
        return Some("an unspecified address");
    }
    if ip.is_loopback() {
        return Some("a loopback address");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(forbidden_v4(v4).map_or(
            "an IPv4-mapped address",
            |_| "an IPv4-mapped private address",
        ));
    }
    Some(match seg[0] {
        // ::a.b.c.d, the deprecated IPv4-compatible form.
        0 if seg[1..6] == [0; 5] => "an IPv4-compatible address",
        s if s & 0xfe00 == 0xfc00 => "a unique-local (private) address",
        s if s & 0xffc0 == 0xfe80 => "a link-local address",
        s if s & 0xffc0 == 0xfec0 => "a site-local address",
        s if s & 0xff00 == 0xff00 => "a multicast address",
        0x2001 if seg[1] == 0x0db8 => "a documentation address",
        0x0064 if seg[1] == 0xff9b => {
            let v4 = Ipv4Addr::from(((seg[6] as u32) << 16) | seg[7] as u32);
            forbidden_v4(v4)?;
            "a NAT64 address of a private one"
        }
        0x2002 => {
            let v4 = Ipv4Addr::from(((seg[1] as u32) << 16) | seg[2] as u32);
            forbidden_v4(v4)?;
            "a 6to4 address of a private one"
        }
        _ => return None,
    })
}

/// Name lookup behind the guard; the system resolver normally, a table in tests (so a test
/// can make a name resolve to 10.0.0.1 without sending anything there).
pub trait Lookup: Send + Sync {
    /// The addresses of `host`.
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// The operating system's resolver.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The resolver reqwest connects through: looks the name up, then keeps only the addresses
/// the allow list permits; when none is left the connection fails with [`Refused`].
pub struct GuardedResolver {
    pub allow: Arc<AllowList>,
    pub lookup: Arc<dyn Lookup>,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let allow = self.allow.clone();
        let lookup = self.lookup.clone();
        Box::pin(async move {
            let ips = lookup.lookup(host.clone()).await?;
            let mut first_refusal = None;
            let mut ok = Vec::new();
            for ip in ips {
                match allow.refusal(&host, ip) {
                    None => ok.push(SocketAddr::new(ip, 0)),
                    Some(r) => {
                        first_refusal.get_or_insert(r);
                    }
                }
            }
            if ok.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> = match first_refusal {
                    Some(r) => Box::new(r),
                    None => format!("{host} has no address").into(),
                };
                return Err(err);
            }
            let addrs: reqwest::dns::Addrs = Box::new(ok.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn private_and_special_addresses_are_forbidden() {
        for s in [
            "127.0.0.1",
            "127.8.9.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
        ] {
            assert!(forbidden(ip(s)).is_some(), "{s} must be refused");
        }
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "100.128.0.1",
            "172.32.0.1",
            "2a00:1450:4001::1",
            "64:ff9b::808:808",
        ] {
            assert_eq!(forbidden(ip(s)), None, "{s} is public");
        }
    }

    #[test]
    fn allow_list_takes_hosts_addresses_and_networks() {
        let list = AllowList::parse(["feeds.intranet", "127.0.0.1", "10.0.0.0/8", " ", "[::1]"])
            .expect("valid");
        assert!(list.refusal("feeds.intranet", ip("192.168.0.9")).is_none());
        assert!(list.refusal("FEEDS.intranet.", ip("192.168.0.9")).is_none());
        assert!(list.refusal("x", ip("127.0.0.1")).is_none());
        assert!(list.refusal("x", ip("::1")).is_none());
        assert!(list.refusal("x", ip("10.9.8.7")).is_none());
        let r = list.refusal("x", ip("127.0.0.2")).expect("refused");
        assert!(r.to_string().contains("loopback") && r.to_string().contains("fetch_allow"));
        assert!(AllowList::parse(["bad host!"]).is_err());
    }
}
