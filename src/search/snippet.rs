//! Snippets: the best short passage of the original (unnormalised) text, as segments that
//! say which parts matched. Rendering (escaping, `<mark>`) is the template's job.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::arabic::{normalize_mapped, stem, tokens, word_around};

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

/// The matched term of a normalised word: its stem when that is in `stems`, else the word
/// itself when it is in `exact`.
fn matched_term(word: &str, stems: &BTreeSet<String>, exact: &BTreeSet<String>) -> Option<String> {
    // A stem is what remains after stripping affixes, so it occurs inside the word: words
    // containing none of the stems are not stemmed at all (the common case).
    if stems.iter().any(|s| word.contains(s.as_str())) {
        let s = stem::stem(word);
        if stems.contains(&s) {
            return Some(s);
        }
    }
    exact.contains(word).then(|| word.to_string())
}

/// Bytes of an article scanned for its best paragraph: a snippet costs the same for a very
/// long article as for a long one (news bodies are a few KiB; the rest is rarely needed).
const SCAN_BYTES: usize = 16 * 1024;

/// The paragraph (line) of `text` with the most distinct matched words, then the most
/// matched words, then the earliest; and whether no non-empty line comes before it.
///
/// Every matched word contains a stem or an exact word, so the normalised text is scanned
/// once per query term (fast substring search) and only the words around the occurrences
/// are looked at; nothing is tokenized. Normalisation keeps line breaks, so an occurrence's
/// line is the number of line breaks before it.
fn best_paragraph<'a>(
    text: &'a str,
    stems: &BTreeSet<String>,
    exact: &BTreeSet<String>,
) -> (&'a str, bool) {
    let norm = crate::arabic::normalize(&text[..text.floor_char_boundary(SCAN_BYTES)]);
    let breaks: Vec<usize> = memchr::memchr_iter(b'\n', norm.as_bytes()).collect();
    let mut words: Vec<(usize, usize)> = Vec::new();
    for needle in stems.iter().chain(exact) {
        // A SIMD substring search (memchr's memmem); the needle is valid UTF-8, so every
        // occurrence starts and ends on a character boundary.
        for at in memchr::memmem::find_iter(norm.as_bytes(), needle.as_bytes()) {
            words.push(word_around(&norm, at, at + needle.len()));
        }
    }
    words.sort_unstable();
    words.dedup();
    // Per line: matched terms seen, and matched words.
    let mut lines: Vec<(Vec<String>, usize)> = vec![(Vec::new(), 0); breaks.len() + 1];
    for (s, e) in words {
        if let Some(m) = matched_term(&norm[s..e], stems, exact) {
            let (seen, hits) = &mut lines[breaks.partition_point(|&b| b < s)];
            *hits += 1;
            if !seen.contains(&m) {
                seen.push(m);
            }
        }
    }
    let mut best: Option<(&str, usize, usize, bool)> = None;
    let mut first_text_line = true;
    for (para, (seen, hits)) in text.split('\n').zip(&lines) {
        if para.trim().is_empty() {
            continue;
        }
        if best.is_none_or(|(_, d, h, _)| (seen.len(), *hits) > (d, h)) {
            best = Some((para, seen.len(), *hits, first_text_line));
        }
        first_text_line = false;
    }
    best.map_or((text, true), |(p, _, _, first)| (p, first))
}

/// The window of `text` with the most distinct matched words, highlighted. Words match when
/// their stem is in `stems` or their normalised form is in `exact`. Only the best paragraph
/// (line) is windowed, so the cost does not grow with the length of the article.
pub fn build(text: &str, stems: &BTreeSet<String>, exact: &BTreeSet<String>) -> Vec<Segment> {
    let (para, first_line) = best_paragraph(text, stems, exact);
    let mut segments = window(para, stems, exact);
    if !first_line && !segments.is_empty() {
        match segments.first_mut() {
            Some(Segment {
                text,
                is_match: false,
            }) if text.starts_with("… ") => {}
            Some(Segment {
                text,
                is_match: false,
            }) => text.insert_str(0, "… "),
            _ => segments.insert(
                0,
                Segment {
                    text: "… ".to_string(),
                    is_match: false,
                },
            ),
        }
    }
    segments
}

/// Matched words in a sliding window: per matched term, how many; the distinct terms; all.
struct WindowCounts {
    counts: Vec<usize>,
    distinct: usize,
    hits: usize,
}

impl WindowCounts {
    fn enter(&mut self, id: Option<usize>) {
        if let Some(i) = id {
            self.counts[i] += 1;
            self.hits += 1;
            if self.counts[i] == 1 {
                self.distinct += 1;
            }
        }
    }

    fn leave(&mut self, id: Option<usize>) {
        if let Some(i) = id {
            self.counts[i] -= 1;
            self.hits -= 1;
            if self.counts[i] == 0 {
                self.distinct -= 1;
            }
        }
    }
}

/// The best window of one paragraph.
fn window(text: &str, stems: &BTreeSet<String>, exact: &BTreeSet<String>) -> Vec<Segment> {
    let mapped = normalize_mapped(text);
    let toks: Vec<_> = tokens(&mapped.text).collect();
    if toks.is_empty() {
        return Vec::new();
    }
    let matched: Vec<Option<String>> = toks
        .iter()
        .map(|t| matched_term(t.text, stems, exact))
        .collect();
    // Best window start: most distinct matches, then most matches, then earliest. One
    // sliding pass: `ids` numbers the matched terms, `counts` counts them in the window.
    let mut terms: Vec<&String> = Vec::new();
    let ids: Vec<Option<usize>> = matched
        .iter()
        .map(|m| {
            m.as_ref().map(|t| {
                terms.iter().position(|x| *x == t).unwrap_or_else(|| {
                    terms.push(t);
                    terms.len() - 1
                })
            })
        })
        .collect();
    let mut window = WindowCounts {
        counts: vec![0; terms.len()],
        distinct: 0,
        hits: 0,
    };
    ids.iter().take(WINDOW).for_each(|&id| window.enter(id));
    let mut best = (0usize, 0usize, 0usize);
    for start in 0..toks.len() {
        if start > 0 {
            window.leave(ids[start - 1]);
            window.enter(ids.get(start + WINDOW - 1).copied().flatten());
        }
        let score = (window.distinct, window.hits);
        if (start == 0 || ids[start].is_some()) && score > (best.1, best.2) {
            best = (start, score.0, score.1);
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

    /// The highlighted pieces of a snippet, in order.
    fn marked(segs: &[Segment]) -> Vec<&str> {
        segs.iter()
            .filter(|s| s.is_match)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn highlights_on_the_original_text() {
        let text = "قال مسؤول إنّ الجيشَ الليبيَّ دخل بنغازي.";
        let stems = set(&[&stem::stem("ليبيا")]);
        let exact = set(&["الجيش"]);
        let segs = build(text, &stems, &exact);
        assert_eq!(plain(&segs), "قال مسؤول إنّ الجيشَ الليبيَّ دخل بنغازي");
        assert_eq!(marked(&segs), vec!["الجيشَ", "الليبيَّ"]);
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

    #[test]
    fn the_paragraph_with_the_most_matched_words_is_shown() {
        let text = "افتتح معرض الكتاب أبوابه.\nقال الجيش الليبي إن بنغازي آمنة.\nوذكرت ليبيا أن الطقس معتدل.";
        let stems = set(&[&stem::stem("ليبيا"), &stem::stem("بنغازي")]);
        let segs = build(text, &stems, &set(&[]));
        let p = plain(&segs);
        assert_eq!(p, "… قال الجيش الليبي إن بنغازي آمنة");
        // Nothing matched: the first paragraph, without an ellipsis.
        let segs = build(text, &set(&["زلزال"]), &set(&[]));
        assert_eq!(plain(&segs), "افتتح معرض الكتاب أبوابه");
    }

    #[test]
    fn the_window_with_most_distinct_matches_wins_over_the_first_match() {
        let filler = "كلمة ".repeat(40);
        let text = format!("ليبيا {filler}ليبيا في بنغازي {filler}");
        let stems = set(&[&stem::stem("ليبيا"), &stem::stem("بنغازي")]);
        let segs = build(&text, &stems, &set(&[]));
        assert_eq!(marked(&segs), vec!["ليبيا", "بنغازي"]);
        assert!(plain(&segs).starts_with("… كلمة كلمة كلمة ليبيا"));
    }

    #[test]
    fn very_long_articles_are_scanned_only_so_far() {
        let filler = "كلمة أخرى هنا.\n".repeat(2000); // about 50 KB, cut mid-character too
        let text = format!("\n\nمقدمة الخبر\n{filler}ليبيا في آخر المقال");
        let segs = build(&text, &set(&[&stem::stem("ليبيا")]), &set(&[]));
        assert_eq!(
            plain(&segs),
            "مقدمة الخبر",
            "first non-empty line, no ellipsis"
        );
        let text = format!("مقدمة الخبر\nليبيا وبنغازي\n{filler}");
        let segs = build(&text, &set(&[&stem::stem("ليبيا")]), &set(&[]));
        assert_eq!(plain(&segs), "… ليبيا وبنغازي");
    }
}
