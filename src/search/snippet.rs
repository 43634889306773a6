//! Snippets: the best short passage of the original (unnormalised) text, as segments that
//! say which parts matched. Rendering (escaping, `<mark>`) is the template's job.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::arabic::{normalize_mapped, stem, tokens};

/// Words of context in a snippet.
const WINDOW: usize = 30;

/// One piece of a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub is_match: bool,
}

/// Segments joined as plain text.
pub fn plain(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect()
}

/// The window of `text` with the most distinct matched words, highlighted. Words match when
/// their stem is in `stems` or their normalised form is in `exact`.
pub fn build(text: &str, stems: &BTreeSet<String>, exact: &BTreeSet<String>) -> Vec<Segment> {
    let mapped = normalize_mapped(text);
    let toks: Vec<_> = tokens(&mapped.text).collect();
    if toks.is_empty() {
        return Vec::new();
    }
    let matched: Vec<Option<String>> = toks
        .iter()
        .map(|t| {
            // A stem is what remains after stripping affixes, so it occurs inside the word:
            // words containing none of the stems are not stemmed at all (the common case).
            if stems.iter().any(|s| t.text.contains(s.as_str())) {
                let s = stem::stem(t.text);
                if stems.contains(&s) {
                    return Some(s);
                }
            }
            if exact.contains(t.text) {
                Some(t.text.to_string())
            } else {
                None
            }
        })
        .collect();
    // Best window start: most distinct matches, then most matches, then earliest.
    let mut best = (0usize, 0usize, 0usize);
    for start in 0..toks.len() {
        if start > 0 && matched[start].is_none() {
            continue;
        }
        let end = (start + WINDOW).min(toks.len());
        let hits: Vec<&String> = matched[start..end].iter().flatten().collect();
        let distinct = hits.iter().collect::<BTreeSet<_>>().len();
        if (distinct, hits.len()) > (best.1, best.2) {
            best = (start, distinct, hits.len());
        }
    }
    // Start a few words before the first match for context.
    let first = best.0.saturating_sub(if best.1 > 0 { 3 } else { 0 });
    let last = (first + WINDOW).min(toks.len()) - 1;
    let mut segments = Vec::new();
    let mut push = |text: &str, is_match: bool| {
        if text.is_empty() {
            return;
        }
        match segments.last_mut() {
            Some(Segment {
                text: t,
                is_match: m,
            }) if *m == is_match => t.push_str(text),
            _ => segments.push(Segment {
                text: text.to_string(),
                is_match,
            }),
        }
    };
    let (window_start, _) = mapped.original_range(toks[first].start, toks[first].end);
    if first > 0 {
        push("… ", false);
    }
    let mut cursor = window_start;
    for i in first..=last {
        let (s, e) = mapped.original_range(toks[i].start, toks[i].end);
        let s = s.max(cursor);
        push(&text[cursor..s], false);
        push(&text[s..e.max(s)], matched[i].is_some());
        cursor = e.max(s);
    }
    if last + 1 < toks.len() {
        push(" …", false);
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn highlights_on_the_original_text() {
        let text = "قال مسؤول إنّ الجيشَ الليبيَّ دخل بنغازي.";
        let stems = set(&[&stem::stem("ليبيا")]);
        let exact = set(&["الجيش"]);
        let segs = build(text, &stems, &exact);
        assert_eq!(plain(&segs), "قال مسؤول إنّ الجيشَ الليبيَّ دخل بنغازي");
        let marked: Vec<&str> = segs
            .iter()
            .filter(|s| s.is_match)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, vec!["الجيشَ", "الليبيَّ"]);
    }

    #[test]
    fn long_text_is_windowed_around_matches() {
        let mut text = "كلمة ".repeat(100);
        text.push_str("ليبيا ");
        text.push_str(&"كلمة ".repeat(100));
        let segs = build(&text, &set(&[&stem::stem("ليبيا")]), &set(&[]));
        let p = plain(&segs);
        assert!(p.starts_with("… ") && p.ends_with(" …"), "{p}");
        assert!(segs.iter().any(|s| s.is_match && s.text == "ليبيا"));
        assert!(p.split_whitespace().count() <= WINDOW + 2);
    }
}
