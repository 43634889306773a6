//! Classifier features: hashed word unigrams and bigrams of the analyzer's terms, headline
//! unigrams, and character n-grams of normalised words, weighted by sublinear TF-IDF and
//! L2-normalised. Only the text a reader sees is used (never id, url or source).

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

/// A sparse vector: (bucket, value), buckets ascending and unique.
pub type Sparse = Vec<(u32, f32)>;

/// The classifier's view of an article: its headline (with subtitle) and body.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

/// Cuts `s` to at most `max` bytes at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
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
pub fn counts(text: Text<'_>) -> (Sparse, usize) {
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

/// Sublinear TF (1 + ln tf) times IDF, L2-normalised.
pub fn weigh(counts: &Sparse, idf: &[f32]) -> Sparse {
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

/// Document frequencies of the buckets of `docs`.
pub fn document_frequencies<'a>(docs: impl Iterator<Item = &'a Sparse>) -> Vec<u32> {
    let mut df = vec![0u32; DIM];
    for d in docs {
        for &(b, _) in d {
            df[b as usize] += 1;
        }
    }
    df
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_share_features() {
        let a = counts(Text {
            title: "",
            body: "العَرَبِيَّة أسلحة",
        })
        .0;
        let b = counts(Text {
            title: "",
            body: "العربيه اسلحه",
        })
        .0;
        assert_eq!(a, b);
    }

    #[test]
    fn weighted_vectors_are_unit_length() {
        let (c, n) = counts(Text {
            title: "مباراة الهلال",
            body: "فاز الهلال على النصر في مباراة مثيرة",
        });
        assert!(n >= 4);
        let idf = vec![1.0; DIM];
        let v = weigh(&c, &idf);
        let norm: f32 = v.iter().map(|(_, x)| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(weigh(&Vec::new(), &idf).is_empty());
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let s = "ليبيا".repeat(10);
        for max in 0..s.len() {
            assert!(truncate(&s, max).len() <= max);
        }
    }
}
