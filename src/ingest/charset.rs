//! Character sets of fetched and imported documents: the BOM first, then the HTTP
//! `charset`, then the document's own declaration (`<?xml … encoding=…?>`, or an HTML
//! `<meta charset>`), then UTF-8. Arabic feeds still come in windows-1256 and ISO-8859-6.

use encoding_rs::Encoding;

/// Decodes `bytes` by the rules above; bytes invalid in the chosen encoding become U+FFFD
/// rather than costing the document. An XML declaration is rewritten to say UTF-8, so a
/// parser reading the text does not decode it a second time.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| content_type.and_then(http_charset))
        .or_else(|| declared(bytes))
        .unwrap_or(encoding_rs::UTF_8);
    // decode() strips a BOM of its own encoding.
    let (text, _, _) = encoding.decode(bytes);
    relabel_xml_declaration(&text)
}

/// The `charset` parameter of a `Content-Type` header value.
pub fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes()))
            .flatten()
    })
}

/// The encoding a document declares in its first KiB: the XML declaration's `encoding`, or
/// an HTML `<meta charset=…>` / `<meta http-equiv … content="…; charset=…">`.
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head: String = head.iter().map(|&b| char::from(b)).collect();
    let lower = head.to_ascii_lowercase();
    if lower.trim_start().starts_with("<?xml") {
        let end = lower.find("?>")?;
        return attribute(&lower[..end], "encoding")
            .and_then(|label| Encoding::for_label(label.as_bytes()));
    }
    let at = lower.find("charset=")?;
    let rest = lower[at + "charset=".len()..].trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    let enc = Encoding::for_label(label.as_bytes())?;
    // A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard says so).
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(enc)
}

/// The value of `name="…"` or `name='…'` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))?;
    let rest = &tag[at + name.len() + 1..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].trim().to_string())
}

/// `<?xml version="1.0" encoding="windows-1256"?>` → `… encoding="UTF-8"?>`.
fn relabel_xml_declaration(text: &str) -> String {
    let trimmed = text.trim_start_matches('\u{FEFF}');
    if !trimmed.starts_with("<?xml") {
        return trimmed.to_string();
    }
    let Some(end) = trimmed.find("?>") else {
        return trimmed.to_string();
    };
    let decl = &trimmed[..end];
    let Some(at) = decl.find("encoding=") else {
        return trimmed.to_string();
    };
    let value_start = at + "encoding=".len();
    let Some(quote) = decl[value_start..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')
    else {
        return trimmed.to_string();
    };
    let Some(len) = decl[value_start + 1..].find(quote) else {
        return trimmed.to_string();
    };
    let mut out = String::with_capacity(trimmed.len());
    out.push_str(&decl[..value_start]);
    out.push_str("\"UTF-8\"");
    out.push_str(&trimmed[value_start + 1 + len + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "خبر عاجل من بنغازي";

    fn win1256(s: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1256.encode(s).0.into_owned()
    }

    #[test]
    fn order_is_bom_header_declaration_utf8() {
        let doc = |decl: &str| {
            let mut b = format!("<?xml version=\"1.0\"{decl}?><t>").into_bytes();
            b.extend(win1256(ARABIC));
            b.extend(b"</t>");
            b
        };
        // Declared only in the document.
        let text = decode(&doc(" encoding=\"windows-1256\""), Some("application/xml"));
        assert!(text.contains(ARABIC), "{text}");
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{text}"
        );
        // Declared only in the header.
        let text = decode(&doc(""), Some("text/xml; charset=windows-1256"));
        assert!(text.contains(ARABIC), "{text}");
        // The header wins over the document.
        let iso = encoding_rs::ISO_8859_6.encode(ARABIC).0.into_owned();
        let mut b = b"<?xml version='1.0' encoding='windows-1256'?><t>".to_vec();
        b.extend(&iso);
        let text = decode(&b, Some("text/xml; charset=\"ISO-8859-6\""));
        assert!(text.contains(ARABIC), "{text}");
        // A BOM wins over both.
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend(format!("<?xml version='1.0' encoding='windows-1256'?><t>{ARABIC}").bytes());
        assert!(decode(&b, Some("text/xml; charset=iso-8859-6")).contains(ARABIC));
        // Nothing declared: UTF-8.
        assert!(decode(ARABIC.as_bytes(), None).contains(ARABIC));
    }

    #[test]
    fn html_meta_charset_is_read() {
        let mut b = b"<html><head><meta charset=\"windows-1256\"></head><body>".to_vec();
        b.extend(win1256(ARABIC));
        assert!(decode(&b, Some("text/html")).contains(ARABIC));
        let mut b =
            b"<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-6'>".to_vec();
        b.extend(encoding_rs::ISO_8859_6.encode(ARABIC).0.iter());
        assert!(decode(&b, None).contains(ARABIC));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
                        ct in proptest::option::of("[ -~]{0,40}")) {
            let _ = decode(&bytes, ct.as_deref());
        }
    }
}
