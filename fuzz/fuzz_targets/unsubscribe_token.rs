//! One-click unsubscribe tokens from links in mail. Properties: only a token signed with the
//! secret verifies, and it names the id it was signed for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::newsletter::tokens::{sign, verify};

const SECRET: &[u8] = b"fuzzing secret";

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(id) = verify(SECRET, "unsubscribe", token) {
        let signed = sign(SECRET, "unsubscribe", id);
        let tag = |t: &str| t.trim().split_once('.').map(|(_, m)| m.to_string());
        assert_eq!(tag(token), tag(&signed), "{token:?} verified as {id}");
        assert_eq!(verify(b"another secret", "unsubscribe", token), None);
    }
    // A real token with these bytes appended or put in front no longer verifies unless
    // they are only surrounding whitespace.
    let real = sign(SECRET, "unsubscribe", 42);
    let glued = format!("{real}{token}");
    if !token.trim().is_empty() {
        assert_ne!(verify(SECRET, "unsubscribe", &glued), Some(42), "{glued:?}");
    }
});
