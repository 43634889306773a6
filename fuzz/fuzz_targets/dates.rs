//! Publication dates in any shape feeds and files use (RFC 3339, RFC 2822, Arabic month
//! names, epoch numbers, …). Property: a date read, written as RFC 3339, reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::dates::parse_published;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(t) = parse_published(s) {
        let again = parse_published(&t.to_rfc3339());
        assert_eq!(again, Some(t), "{s:?}");
    }
});
