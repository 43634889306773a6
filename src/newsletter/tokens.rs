//! Signed tokens for links in newsletter mail (one-click unsubscribe): the subscription's
//! key and an HMAC-SHA256 over it with the site's secret, so a link works without a cookie
//! or a stored token, and a tampered one is refused.

use base64::prelude::{BASE64_URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes of the MAC kept in a token (128 bits).
const MAC_LEN: usize = 16;

fn mac(secret: &[u8], purpose: &str, id: i64) -> Vec<u8> {
    // A key of any length is accepted by HMAC; the error arm cannot happen.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret) else {
        return Vec::new();
    };
    m.update(purpose.as_bytes());
    m.update(b":");
    m.update(id.to_string().as_bytes());
    m.finalize().into_bytes()[..MAC_LEN].to_vec()
}

/// A token for `id` and `purpose`: `<id>.<mac>`.
pub fn sign(secret: &[u8], purpose: &str, id: i64) -> String {
    format!(
        "{id}.{}",
        BASE64_URL_SAFE_NO_PAD.encode(mac(secret, purpose, id))
    )
}

/// The id of a token made by [`sign`] with the same secret and purpose; None otherwise.
pub fn verify(secret: &[u8], purpose: &str, token: &str) -> Option<i64> {
    let (id, tag) = token.trim().split_once('.')?;
    let id: i64 = id.parse().ok()?;
    let tag = BASE64_URL_SAFE_NO_PAD.decode(tag).ok()?;
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret) else {
        return None;
    };
    m.update(purpose.as_bytes());
    m.update(b":");
    m.update(id.to_string().as_bytes());
    m.verify_truncated_left(&tag).ok()?;
    (tag.len() == MAC_LEN).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let secret = b"site secret";
        let t = sign(secret, "unsubscribe", 42);
        assert_eq!(verify(secret, "unsubscribe", &t), Some(42));
        assert_eq!(verify(secret, "other", &t), None);
        assert_eq!(verify(b"another secret", "unsubscribe", &t), None);
        let other_id = t.replacen("42.", "43.", 1);
        assert_eq!(verify(secret, "unsubscribe", &other_id), None);
        let mut flipped = t.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).expect("ascii");
        assert_eq!(verify(secret, "unsubscribe", &flipped), None);
        let short = &t[..t.len() - 4];
        assert_eq!(verify(secret, "unsubscribe", short), None);
        for junk in [
            "",
            ".",
            "x.y",
            "42",
            "42.",
            "-1.AAAA",
            "9999999999999999999999.a",
        ] {
            assert_eq!(verify(secret, "unsubscribe", junk), None, "{junk}");
        }
    }
}
