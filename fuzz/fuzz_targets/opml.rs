//! OPML files of feed subscriptions (`sahifa source import`). Property: every source read
//! has a feed address.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::sources::opml;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(outlines) = opml::parse(s) {
        for o in outlines.iter().flatten() {
            assert!(!o.url.trim().is_empty(), "{o:?}");
        }
    }
});
