//! E-mail addresses typed into forms, given to the API or read from imports. Properties: an
//! accepted address is header-safe and parses to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::accounts::Email;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(e) = Email::parse(s) {
        let a = e.as_str();
        assert!(
            !a.contains(['\r', '\n', ' ', '\t', '<', '>', '"', ',', ';', '\0']),
            "{a:?}"
        );
        assert_eq!(Email::parse(a).as_ref(), Ok(&e), "not stable: {s:?}");
        assert_eq!(format!("{}@{}", e.local(), e.domain()), a);
        assert!(a.chars().count() <= 254);
    }
});
