//! Character sets of fetched documents: BOM, HTTP `charset`, the document's declaration.
//! The first byte (when there are several) picks a Content-Type header from the input.
//! Property: valid UTF-8 without a BOM, a header, a declaration or an XML prologue passes
//! through unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::charset;

fuzz_target!(|data: &[u8]| {
    let (ct, body) = match data.split_first() {
        Some((&n, rest)) if n < 64 && rest.len() >= usize::from(n) => {
            let (h, b) = rest.split_at(usize::from(n));
            (std::str::from_utf8(h).ok(), b)
        }
        _ => (None, data),
    };
    let text = charset::decode(body, ct);
    let _ = ct.map(charset::http_charset);
    if ct.is_none()
        && charset::declared(body).is_none()
        && let Ok(s) = std::str::from_utf8(body)
        && !s.starts_with(['\u{FEFF}'])
        && !s.starts_with("<?xml")
    {
        assert_eq!(text, s);
    }
});
