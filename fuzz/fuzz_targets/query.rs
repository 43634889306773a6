//! The search query parser and the tantivy query built from it (user text never reaches
//! tantivy's own parser). Properties: bounded terms; a query is built exactly when something
//! positive is asked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::search::query::{Filters, MAX_TERMS, build, parse};
use sahifa::search::schema;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    let (_, fields) = schema::build();
    let p = parse(q);
    assert!(p.stems.len() <= MAX_TERMS && p.exact.len() <= MAX_TERMS);
    assert!(p.excluded.len() <= MAX_TERMS && p.phrases.len() <= MAX_TERMS);
    assert!(p.stems.iter().chain(&p.exact).all(|t| !t.is_empty()));
    assert_eq!(
        build(&p, &Filters::default(), &fields).is_none(),
        p.is_empty()
    );
    let r = p.relaxed();
    assert!(r.phrases.is_empty());
    assert_eq!(
        build(&r, &Filters::default(), &fields).is_none(),
        r.is_empty()
    );
});
