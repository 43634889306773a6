//! Stories: near-duplicate articles (the same wire copy at several sources, a re-post at
//! one) grouped as one. An article's text is cut into shingles (three consecutive words of
//! the search analyzer's normalised text, stop words left out), summarised by a MinHash
//! signature whose LSH bands are stored in the database (`story_bands`, so every node finds
//! the same candidates), and a candidate published within [`WINDOW_MS`] joins the story only
//! when the exact Jaccard similarity of the two shingle sets reaches [`THRESHOLD`].
//!
//! Grouping runs inside the article write transaction (`store/stories.rs`, called by
//! `store/article_write/`), so every write path groups, and a story never refers to an
//! article that is gone. This module is the pure part: shingles, signatures, bands.

pub mod cli;
pub mod eval;

use crate::arabic::{MAX_TOKEN_BYTES, normalize_into, stopwords, tokens};

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// MinHash rows per band; bands per signature.
pub const ROWS: usize = 2;
pub const BANDS: usize = 24;
/// Exact Jaccard similarity of shingle sets at or above which two articles are one story.
pub const THRESHOLD: f64 = 0.3;
/// Candidates are looked for this far before and after an article's time (published, or
/// imported when absent).
pub const WINDOW_MS: i64 = 3 * 24 * 3600 * 1000;
/// At most this many candidates (those sharing most bands) are verified per article.
pub const MAX_CANDIDATES: i64 = 8;
/// Texts with fewer shingles are too short to tell copies from articles on one subject:
/// their headline is added, and below this again they stay alone.
pub const MIN_SHINGLES: usize = 4;

/// The shingles of an article, hashed, sorted and without repeats: its subtitle and body,
/// and its title too when the body is short.
pub fn shingles(title: &str, subtitle: Option<&str>, body: &str) -> Vec<u64> {
    let mut words: Vec<String> = Vec::new();
    let mut norm = String::new();
    let mut push = |text: &str, words: &mut Vec<String>| {
        norm.clear();
        normalize_into(text, &mut norm);
        for t in tokens(&norm) {
            if t.text.len() <= MAX_TOKEN_BYTES && !stopwords::is_stopword(t.text) {
                words.push(t.text.to_string());
            }
        }
    };
    if let Some(s) = subtitle {
        push(s, &mut words);
    }
    push(body, &mut words);
    let mut out = hash_windows(&words);
    if out.len() < 2 * MIN_SHINGLES {
        let mut with_title = Vec::new();
        push(title, &mut with_title);
        with_title.extend(words);
        out = hash_windows(&with_title);
    }
    if out.len() < MIN_SHINGLES {
        out.clear();
    }
    out
}

fn hash_windows(words: &[String]) -> Vec<u64> {
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS)
        .map(|w| {
            let mut h = FNV_OFFSET;
            for word in w {
                h = fnv(h, word.as_bytes());
                h = fnv(h, &[0]);
            }
            mix(h)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: stable across builds and machines (the bands are stored and shared).
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// splitmix64's finaliser: a bijection that spreads bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash signature of a shingle set: per hash function, the least hash.
pub fn signature(shingles: &[u64]) -> [u64; ROWS * BANDS] {
    let mut sig = [u64::MAX; ROWS * BANDS];
    for &s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = mix(s ^ SEEDS[i]);
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

/// Seeds of the hash functions, fixed (derived once from splitmix64 of their index).
static SEEDS: std::sync::LazyLock<[u64; ROWS * BANDS]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|i| mix((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)))
});

/// The LSH band keys of a shingle set (none for a text too short): two articles that share
/// a key are candidates.
pub fn bands(shingles: &[u64]) -> Vec<i64> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let sig = signature(shingles);
    sig.chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = fnv(FNV_OFFSET, &(band as u64).to_le_bytes());
            for r in rows {
                h = fnv(h, &r.to_le_bytes());
            }
            mix(h) as i64
        })
        .collect()
}

/// Exact Jaccard similarity of two sorted shingle sets (0 when either is empty).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// Whether two texts are one story by their shingles.
pub fn same_story(a: &[u64], b: &[u64]) -> bool {
    jaccard(a, b) >= THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "أعلن الجيش الوطني الليبي بقيادة المشير خليفة حفتر السيطرة الكاملة على \
        مدينة درنة بعد معارك استمرت عدة أسابيع مع جماعات مسلحة.\nوقال المتحدث باسم الجيش \
        أحمد المسماري في مؤتمر صحفي إن القوات دخلت آخر معاقل المسلحين في المدينة القديمة.\n\
        وأضاف أن عمليات تمشيط الأحياء ستتواصل خلال الأيام المقبلة لتأمين عودة السكان.";

    #[test]
    fn spelling_variants_and_another_headline_keep_a_copy_identical() {
        let a = shingles("حفتر يعلن السيطرة على درنة", None, WIRE);
        let variant = WIRE.replace('أ', "ا").replace('ة', "ه").replace('ى', "ي");
        let b = shingles("الجيش الليبي في درنة", None, &variant);
        assert!(a.len() > 20, "{}", a.len());
        assert_eq!(a, b);
        assert_eq!(bands(&a), bands(&b));
        assert_eq!(bands(&a).len(), BANDS);
    }

    #[test]
    fn a_copy_with_a_paragraph_dropped_and_boilerplate_added_is_the_same_story() {
        let a = shingles("", None, WIRE);
        let cut: Vec<&str> = WIRE.lines().take(2).collect();
        let copy = format!(
            "{}\nتابعونا على مواقع التواصل الاجتماعي للمزيد من الأخبار العاجلة",
            cut.join("\n")
        );
        let b = shingles("", None, &copy);
        assert!(same_story(&a, &b), "{}", jaccard(&a, &b));
        let shared = bands(&a)
            .iter()
            .zip(bands(&b))
            .filter(|(x, y)| **x == *y)
            .count();
        assert!(shared > 0, "the copy is a candidate");
    }

    #[test]
    fn another_statement_on_the_same_subject_is_another_story() {
        let a = shingles("", None, WIRE);
        let other = "قال المشير خليفة حفتر قائد الجيش الوطني الليبي في كلمة متلفزة إنه يدعم \
            إجراء انتخابات رئاسية وبرلمانية قبل نهاية العام.\nودعا حفتر الأطراف السياسية إلى \
            احترام إرادة الليبيين والابتعاد عن التدخلات الخارجية في شؤون البلاد.";
        let b = shingles("", None, other);
        assert!(!same_story(&a, &b), "{}", jaccard(&a, &b));
    }

    #[test]
    fn short_or_empty_texts_have_no_bands_and_never_panic() {
        assert!(shingles("", None, "").is_empty());
        assert!(bands(&shingles("خبر", None, "عاجل")).is_empty());
        assert_eq!(jaccard(&[], &[1]), 0.0);
        let s = shingles("عنوان", Some("!!!"), "؟؟ \u{200f} ...");
        assert!(s.is_empty());
    }
}
