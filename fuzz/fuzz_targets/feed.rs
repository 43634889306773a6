//! RSS, Atom and JSON Feed documents, decoded by their character set first as the poller
//! does. Property: every entry kept has a body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::{charset, feed};

fuzz_target!(|data: &[u8]| {
    let text = charset::decode(data, None);
    for bytes in [data, text.as_bytes()] {
        if let Ok(f) = feed::parse_feed(bytes) {
            for e in f.entries.iter().flatten() {
                assert!(!e.body.trim().is_empty(), "{e:?}");
            }
        }
    }
});
