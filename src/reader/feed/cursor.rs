//! Feed cursors: the articles already shown, in order, so that the next page never repeats
//! one and continues its runs, whatever the member did in between (a "less like this"
//! applies from the next page on). Opaque to clients.

use crate::reader::ReaderError;

/// Articles remembered by a cursor (the feed is a bounded window anyway).
const MAX_SHOWN: usize = 400;

/// Encodes the keys (article row keys) shown so far.
pub fn encode(shown: &[i64]) -> String {
    let start = shown.len().saturating_sub(MAX_SHOWN);
    let parts: Vec<String> = shown[start..].iter().map(|&pk| base36(pk as u64)).collect();
    format!("s1.{}", parts.join("-"))
}

/// Decodes a cursor made by [`encode`].
pub fn decode(cursor: &str) -> Result<Vec<i64>, ReaderError> {
    let bad = || ReaderError::Invalid("the cursor is not one this feed gave".into());
    let body = cursor.strip_prefix("s1.").ok_or_else(bad)?;
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let out = body
        .split('-')
        .map(|p| {
            u64::from_str_radix(p, 36)
                .ok()
                .and_then(|v| i64::try_from(v).ok())
        })
        .collect::<Option<Vec<i64>>>()
        .ok_or_else(bad)?;
    if out.len() > MAX_SHOWN {
        return Err(bad());
    }
    Ok(out)
}

fn base36(mut v: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if v == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while v > 0 {
        out.push(DIGITS[(v % 36) as usize]);
        v /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let shown = vec![1, 35, 36, 123_456_789];
        assert_eq!(decode(&encode(&shown)).ok(), Some(shown));
        assert_eq!(decode("s1.").ok(), Some(vec![]));
        assert!(decode("x").is_err());
        assert!(decode("s1.zz-!!").is_err());
        assert!(decode("s1.zzzzzzzzzzzzzzzzzzzzzz").is_err());
    }
}
