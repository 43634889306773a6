//! Article source links: only absolute `http`/`https` addresses are stored (anything else,
//! `javascript:` in any disguise included, is dropped with a warning), and every link built
//! from stored data is checked again before it becomes an `href`.

/// The longest source link kept, in bytes.
pub const MAX_URL_BYTES: usize = 4096;

/// Characters that hide or reorder what a reader sees: zero-width characters, bidi
/// embeddings, overrides and isolates, the Arabic letter mark, the word joiner family and
/// the byte-order mark. Refused in identifiers and links.
pub fn is_hidden_control(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}'
            | '\u{00AD}'
            | '\u{180E}'
    )
}

/// Whether `s` starts with `http://` or `https://`, in any letter case.
fn has_web_scheme(s: &str) -> bool {
    let lower = |n: usize| s.get(..n).map(str::to_ascii_lowercase);
    lower(7).as_deref() == Some("http://") || lower(8).as_deref() == Some("https://")
}

/// Checks one source link from outside: trimmed, it must be an absolute `http` or `https`
/// URL with a host, with no whitespace, control or invisible character inside. Returns the
/// link to store (scheme in lower case), or why it is not kept.
pub fn web_url(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.len() > MAX_URL_BYTES {
        return Err(format!("longer than {MAX_URL_BYTES} bytes"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || is_hidden_control(*c))
    {
        return Err(format!(
            "{s:?} holds the invisible or control character U+{:04X}",
            c as u32
        ));
    }
    if !has_web_scheme(s) {
        return Err(format!("{s:?} is not an absolute http or https address"));
    }
    let parsed = url::Url::parse(s).map_err(|e| format!("{s:?} is not a valid address: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{s:?} is not an absolute http or https address"));
    }
    let (scheme, rest) = s.split_once(':').unwrap_or(("", s));
    Ok(format!("{}:{rest}", scheme.to_ascii_lowercase()))
}

/// A stored link as an `href`, or nothing when it is not a plain `http(s)` address (rows
/// written before links were checked, or by anything that bypassed ingestion).
pub fn safe_href(stored: Option<&str>) -> Option<String> {
    let s = stored?;
    (s.starts_with("http://") || s.starts_with("https://"))
        .then(|| web_url(s).ok())
        .flatten()
        .filter(|checked| checked == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_kept() {
        assert_eq!(
            web_url("  https://example.com/a?b=1#c ").as_deref(),
            Ok("https://example.com/a?b=1#c")
        );
        assert_eq!(
            web_url("HTTP://example.com/").as_deref(),
            Ok("http://example.com/")
        );
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "  javascript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example/x",
            "/relative",
            "https:example.com",
            "https://",
            "https://exa mple.com",
            "https://example.com/\u{202E}txt.exe",
            "ftp://example.com/",
        ] {
            assert!(web_url(bad).is_err(), "{bad:?} was kept");
        }
    }

    #[test]
    fn hrefs_are_checked_again() {
        assert_eq!(
            safe_href(Some("https://example.com/")).as_deref(),
            Some("https://example.com/")
        );
        assert_eq!(safe_href(Some("javascript:alert(1)")), None);
        assert_eq!(safe_href(Some("https://x.example/\u{202E}")), None);
        assert_eq!(safe_href(Some("HTTPS://example.com/")), None);
        assert_eq!(safe_href(None), None);
    }
}
