//! The spelling-variant regression table (`tests/fixtures/arabic_variants.tsv`): pairs of real
//! words that must analyse to the same term, and pairs that must stay apart.

use super::Analyzer;

const TABLE: &str = include_str!("../../tests/fixtures/arabic_variants.tsv");

#[test]
fn every_pair_in_the_variant_table_behaves_as_stated() {
    let a = Analyzer;
    let mut failures = Vec::new();
    let mut pairs = 0;
    for (n, line) in TABLE.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 3, "line {}: expected kind, a, b", n + 1);
        let (ta, tb) = (a.terms(cols[1]), a.terms(cols[2]));
        assert!(
            !ta.is_empty() && !tb.is_empty(),
            "line {}: stop word in table",
            n + 1
        );
        let ok = match cols[0] {
            "match" => ta == tb,
            "distinct" => ta != tb,
            other => panic!("line {}: unknown kind {other:?}", n + 1),
        };
        if !ok {
            failures.push(format!("line {}: {line} -> {ta:?} / {tb:?}", n + 1));
        }
        pairs += 1;
    }
    assert!(pairs >= 150, "only {pairs} pairs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
