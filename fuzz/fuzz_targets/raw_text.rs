//! Raw text articles: any bytes a scrape delivers, decoded (BOM, UTF-8, UTF-16) and parsed.
//! Properties: a parsed article has a title, a body, and never its title inside the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::boilerplate::Boilerplate;
use sahifa::ingest::{clean, raw_text};

thread_local! {
    static BOILERPLATE: Boilerplate = Boilerplate::default();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = clean::decode(data) else {
        return;
    };
    BOILERPLATE.with(|b| {
        if let Ok(a) = raw_text::parse(&text, b) {
            assert!(!a.title.trim().is_empty(), "{a:?}");
            assert!(!a.body.is_empty(), "{a:?}");
            assert!(a.body.iter().all(|p| *p != a.title), "title in body: {a:?}");
            assert!(a.body.iter().all(|p| !p.trim().is_empty()), "{a:?}");
        }
    });
});
