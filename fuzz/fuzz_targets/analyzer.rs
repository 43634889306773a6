//! The Arabic analyzer: normalising, tokenising, stemming, stop words. Properties: the
//! normaliser is idempotent and its offset map stays inside the original; tokens are the
//! words `word_around` finds; terms are never empty, exact terms are their own normal form
//! and their stems are pieces of them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::arabic::{Analyzer, normalize, stem, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let n = normalize::normalize(s);
    assert_eq!(normalize::normalize(&n), n, "not idempotent on {s:?}");
    let m = normalize::normalize_mapped(s);
    assert_eq!(m.text, n);
    for end in 0..=m.text.len() {
        let (a, b) = m.original_range(0, end);
        assert!(a <= b && b <= s.len() && s.is_char_boundary(a) && s.is_char_boundary(b));
    }
    for t in tokenize::tokens(s) {
        assert_eq!(&s[t.start..t.end], t.text);
        assert_eq!(
            tokenize::word_around(s, t.start, t.end),
            (t.start, t.end),
            "{s:?}"
        );
    }
    let a = Analyzer;
    for t in a.terms(s) {
        assert!(!t.is_empty());
    }
    for t in a.exact_terms(s) {
        assert!(!t.is_empty());
        assert_eq!(normalize::normalize(&t), t);
        let st = stem::stem(&t);
        assert!(t.contains(st.as_str()) && !st.is_empty(), "{t:?} -> {st:?}");
    }
    let _ = stem::stem(s);
});
