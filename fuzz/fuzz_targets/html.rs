//! HTML pages and fragments: whole-page extraction (readability), the full-content main
//! text, fragment-to-text and entity decoding. Properties: an extracted article and a main
//! text are never empty. (That script content never reaches the text is a property test
//! of `ingest::html`, over generated fragments: here the input may spell "<script" as text,
//! e.g. a tag cut off by the end of the input, which the text keeps as written.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::html;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = html::fragment_text(s);
    let _ = html::decode_entities(s);
    if let Ok(a) = html::extract_page(s, Some("https://example.com/a")) {
        assert!(!a.body.trim().is_empty());
    }
    if let Ok(t) = html::main_text(s, None) {
        assert!(!t.trim().is_empty());
    }
});
