//! Subscriber CSV files (Listmonk and Ghost exports). Property: every row kept has a valid,
//! normalised address; every rejection names its line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::accounts::Email;
use sahifa::newsletter::import::{ImportReport, read_rows};

fuzz_target!(|data: &[u8]| {
    let mut report = ImportReport::default();
    if let Ok(rows) = read_rows(data, "in.csv", &mut report) {
        for r in &rows {
            assert_eq!(Email::parse(r.email.as_str()).as_ref(), Ok(&r.email));
        }
        for line in report.rejected.iter().chain(&report.warnings) {
            assert!(line.starts_with("in.csv:"), "{line}");
        }
    }
});
