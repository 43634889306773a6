//! Classifier features, in two blocks, each weighted by sublinear TF-IDF and L2-normalised:
//!
//! * content: hashed word unigrams and bigrams of the analyzer's terms, headline unigrams,
//!   and character n-grams of normalised words;
//! * style (scaled by [`STYLE_WEIGHT`]): how the text is written rather than what it is
//!   about, i.e. character n-grams of the "skeleton" of the body's opening (every run of
//!   Arabic letters becomes `a`, every run of digits `9`, so punctuation, quotes, hashtags,
//!   Latin words, tashkeel and dateline shapes remain) and of the raw opening of the first
//!   paragraph and the end of the last one (datelines, agency credits, sign-offs).
//!
//! Section labels are each outlet's own, and house conventions differ (one files regional
//! stories under "world", another under "Middle East"), so how a text is written is
//! evidence about its label. Only the text a reader sees is used (never id, url or source).

use crate::arabic::{Analyzer, MAX_TOKEN_BYTES, normalize, tokens};
use crate::model::Article;

/// log2 of the number of hash buckets.
pub const DIM_BITS: u32 = 18;
/// Number of hash buckets.
pub const DIM: usize = 1 << DIM_BITS;
/// Text beyond this many bytes (per field) is not read: ten times the longest dev article,
/// so a 5 MB body costs what a long article costs.
pub const MAX_TEXT_BYTES: usize = 160 * 1024;
/// Character n-gram lengths (of words with boundary marks).
const CHAR_NGRAMS: [usize; 2] = [3, 4];
/// Character n-gram lengths of the style block.
const STYLE_NGRAMS: [usize; 3] = [2, 3, 4];
/// The style block's length relative to the content block's (both L2-normalised).
pub const STYLE_WEIGHT: f32 = 0.5;
/// Characters of the body skeleton that are read: about the lead paragraph, where the
/// dateline and agency credit are. (Reading the whole body's shape scored about the same in
/// cross-validation but let an unfamiliar outlet's punctuation habits swing the section.)
const SKELETON_CHARS: usize = 300;
/// Characters of the first paragraph's opening and of the last paragraph's end that are read.
const EDGE_CHARS: usize = 60;

/// A sparse vector: (bucket, value), buckets ascending and unique.
pub type Sparse = Vec<(u32, f32)>;

/// Raw feature counts of a text, per block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub content: Sparse,
    pub style: Sparse,
}

/// The classifier's view of an article: its headline (with subtitle) and body.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

/// Cuts `s` to at most `max` bytes at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    &s[..s.floor_char_boundary(max)]
}

/// The headline and body text of an article, as the classifier reads them.
pub fn article_text(a: &Article) -> (String, String) {
    let mut title = a.title.clone();
    if let Some(s) = &a.subtitle {
        title.push('\n');
        title.push_str(s);
    }
    (title, a.body.join("\n"))
}

/// FNV-1a over a feature kind and its parts, folded to a bucket.
fn bucket(kind: u8, parts: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(kind);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            eat(0x1f);
        }
        p.bytes().for_each(&mut eat);
    }
    ((h ^ (h >> 29)) as u32) & (DIM as u32 - 1)
}

/// Raw feature counts of a text, and the number of Arabic analyzer terms it has.
pub fn counts(text: Text<'_>) -> (Counts, usize) {
    let (content, arabic_terms) = content_counts(text);
    let counts = Counts {
        content,
        style: style_counts(truncate(text.body, MAX_TEXT_BYTES)),
    };
    (counts, arabic_terms)
}

/// Whether `c` is one of the Arabic letters (hamza to yeh, tatweel included).
fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// The body's shape: runs of Arabic letters become `a`, runs of ASCII digits `9`, runs of
/// white space one space, Latin letters lower case; at most `max` characters.
pub fn skeleton(body: &str, max: usize) -> String {
    let mut out = String::with_capacity(max.min(body.len()));
    let mut chars = 0usize;
    let mut last: Option<char> = None;
    for c in body.chars() {
        let c = if is_arabic_letter(c) {
            'a'
        } else if c.is_ascii_digit() {
            '9'
        } else if c.is_whitespace() {
            ' '
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        if matches!(c, 'a' | '9' | ' ') && last == Some(c) {
            continue;
        }
        if chars == max {
            break;
        }
        out.push(c);
        chars += 1;
        last = Some(c);
    }
    out
}

/// Lower-cases and collapses white space (as the style n-grams see raw text).
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Pushes the hashed character n-grams of `s` (of the style lengths) into `out`.
fn push_char_ngrams(kind: u8, s: &str, out: &mut Vec<(u32, f32)>) {
    let mut idx: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    idx.push(s.len());
    let chars = idx.len() - 1;
    for n in STYLE_NGRAMS {
        for start in 0..(chars + 1).saturating_sub(n) {
            out.push((bucket(kind, &[&s[idx[start]..idx[start + n]]]), 1.0));
        }
    }
}

/// The style block: skeleton n-grams of the body, and n-grams of the opening of its first
/// paragraph and of the end of its last.
fn style_counts(body: &str) -> Sparse {
    let mut out = Vec::new();
    push_char_ngrams(b's', &skeleton(body, SKELETON_CHARS), &mut out);
    let first = body
        .split('\n')
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    let last = body
        .rsplit('\n')
        .find(|p| !p.trim().is_empty())
        .unwrap_or("");
    let head: String = plain(first).chars().take(EDGE_CHARS).collect();
    let tail = plain(last);
    let skip = tail.chars().count().saturating_sub(EDGE_CHARS);
    let tail: String = tail.chars().skip(skip).collect();
    push_char_ngrams(b'h', &format!("^{head}"), &mut out);
    push_char_ngrams(b'e', &format!("{tail}$"), &mut out);
    merge(out)
}

/// The content block: analyzer terms and their bigrams, headline terms, and character
/// n-grams of normalised words.
fn content_counts(text: Text<'_>) -> (Sparse, usize) {
    let analyzer = Analyzer;
    let mut out: Vec<(u32, f32)> = Vec::new();
    let mut arabic_terms = 0usize;
    for (part, is_title) in [(text.title, true), (text.body, false)] {
        let part = truncate(part, MAX_TEXT_BYTES);
        let terms = analyzer.terms(part);
        arabic_terms += terms.iter().filter(|t| is_arabic_word(t)).count();
        for (i, t) in terms.iter().enumerate() {
            out.push((bucket(b'u', &[t]), 1.0));
            if is_title {
                out.push((bucket(b't', &[t]), 1.0));
            }
            if let Some(next) = terms.get(i + 1) {
                out.push((bucket(b'b', &[t, next]), 1.0));
            }
        }
        let norm = normalize(part);
        let mut word = String::with_capacity(64);
        let mut idx: Vec<usize> = Vec::with_capacity(64);
        for tok in tokens(&norm).filter(|t| t.text.len() <= MAX_TOKEN_BYTES) {
            word.clear();
            word.push('<');
            word.push_str(tok.text);
            word.push('>');
            idx.clear();
            idx.extend(word.char_indices().map(|(i, _)| i));
            idx.push(word.len());
            let chars = idx.len() - 1;
            for n in CHAR_NGRAMS {
                for s in 0..(chars + 1).saturating_sub(n) {
                    out.push((bucket(b'c', &[&word[idx[s]..idx[s + n]]]), 1.0));
                }
            }
        }
    }
    (merge(out), arabic_terms)
}

/// Whether a term is mostly Arabic letters.
pub fn is_arabic_word(t: &str) -> bool {
    let arabic = t
        .chars()
        .filter(|c| ('\u{0621}'..='\u{064A}').contains(c))
        .count();
    arabic * 2 > t.chars().count()
}

/// Sorts by bucket and adds up duplicates.
fn merge(mut v: Vec<(u32, f32)>) -> Sparse {
    v.sort_unstable_by_key(|&(b, _)| b);
    let mut out: Sparse = Vec::with_capacity(v.len());
    for (b, x) in v {
        match out.last_mut() {
            Some((lb, lx)) if *lb == b => *lx += x,
            _ => out.push((b, x)),
        }
    }
    out
}

/// The weighted vector of a text: each block weighted by [`weigh_block`], the style block
/// scaled by [`STYLE_WEIGHT`], then added together.
pub fn weigh(counts: &Counts, idf: &[f32]) -> Sparse {
    let content = weigh_block(&counts.content, idf);
    let style = weigh_block(&counts.style, idf);
    let mut all = content;
    all.extend(style.into_iter().map(|(b, x)| (b, x * STYLE_WEIGHT)));
    merge(all)
}

/// Sublinear TF (1 + ln tf) times IDF, L2-normalised.
pub fn weigh_block(counts: &Sparse, idf: &[f32]) -> Sparse {
    let mut v: Sparse = counts
        .iter()
        .map(|&(b, tf)| {
            (
                b,
                (1.0 + tf.ln()) * idf.get(b as usize).copied().unwrap_or(0.0),
            )
        })
        .filter(|&(_, x)| x > 0.0)
        .collect();
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    v
}

/// Smoothed IDF from document frequencies over `n` documents.
pub fn idf_from_df(df: &[u32], n: usize) -> Vec<f32> {
    let n = n as f32;
    df.iter()
        .map(|&d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
        .collect()
}

/// Document frequencies of the buckets of `docs` (a bucket in both blocks counts once).
pub fn document_frequencies<'a>(docs: impl Iterator<Item = &'a Counts>) -> Vec<u32> {
    let mut df = vec![0u32; DIM];
    let mut seen: Vec<u32> = Vec::new();
    for d in docs {
        seen.clear();
        seen.extend(d.content.iter().chain(&d.style).map(|&(b, _)| b));
        seen.sort_unstable();
        seen.dedup();
        for &b in &seen {
            df[b as usize] += 1;
        }
    }
    df
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feature counts of an article with no title.
    fn body_counts(body: &str) -> Counts {
        counts(Text { title: "", body }).0
    }

    #[test]
    fn spelling_variants_share_features() {
        let a = body_counts("العَرَبِيَّة أسلحة");
        let b = body_counts("العربيه اسلحه");
        assert_eq!(a.content, b.content);
    }

    #[test]
    fn skeleton_keeps_the_shape_not_the_words() {
        assert_eq!(
            skeleton("دبي، الإمارات (CNN) -- قال 25 شخصا\n#أنور_قرقاش", 100),
            "a، a (cnn) -- a 9 a #a_a"
        );
        assert_eq!(skeleton("ليبيا حفتر بنغازي", 3), "a a");
        let c = body_counts("أتلانتا، الولايات المتحدة (CNN) -- قال\nوختم قائلا (رويترز)");
        let d = body_counts("بيروت، لبنان (CNN) -- اكد\nواضاف مؤكدا (رويترز)");
        let e = body_counts("قال المسؤول ان الوضع في البلاد مستقر\nواضاف ان المحادثات مستمرة");
        let shared = |x: &Counts, y: &Counts| {
            x.style
                .iter()
                .filter(|(b, _)| y.style.iter().any(|(o, _)| o == b))
                .count()
        };
        // Same house style (dateline, agency credit), other words: much more in common.
        assert!(
            shared(&c, &d) > 2 * shared(&c, &e),
            "{} vs {}",
            shared(&c, &d),
            shared(&c, &e)
        );
    }

    #[test]
    fn weighted_vectors_are_unit_length() {
        let (c, n) = counts(Text {
            title: "مباراة الهلال",
            body: "فاز الهلال على النصر في مباراة مثيرة",
        });
        assert!(n >= 4);
        let idf = vec![1.0; DIM];
        let content = weigh_block(&c.content, &idf);
        let norm: f32 = content.iter().map(|(_, x)| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        let style = weigh_block(&c.style, &idf);
        let norm: f32 = style.iter().map(|(_, x)| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        let v = weigh(&c, &idf);
        assert!(v.windows(2).all(|w| w[0].0 < w[1].0), "buckets ascending");
        let norm: f32 = v.iter().map(|(_, x)| x * x).sum();
        let expected = 1.0 + STYLE_WEIGHT * STYLE_WEIGHT;
        assert!((norm - expected).abs() < 0.05, "{norm}");
        assert!(weigh(&Counts::default(), &idf).is_empty());
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let s = "ليبيا".repeat(10);
        for max in 0..s.len() {
            assert!(truncate(&s, max).len() <= max);
        }
    }
}
