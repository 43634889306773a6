//! HTML pages and fragments: whole-page extraction (readability), the full-content main
//! text, fragment-to-text and entity decoding. Property: text out holds no markup of the
//! scripts it came with.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::html;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let text = html::fragment_text(s);
    assert!(!text.contains("<script"), "{text:?}");
    let _ = html::decode_entities(s);
    if let Ok(a) = html::extract_page(s, Some("https://example.com/a")) {
        assert!(!a.body.trim().is_empty());
    }
    if let Ok(t) = html::main_text(s, None) {
        assert!(!t.trim().is_empty());
    }
});
