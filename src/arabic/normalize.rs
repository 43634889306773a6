//! Orthographic normalization for matching (never for display): Unicode compatibility forms,
//! tashkeel, tatweel, bidi and zero-width marks, alef/hamza forms, alef maqsura, ta marbuta,
//! Arabic-Indic and Persian digits, case. Each output character remembers the original
//! character it came from so that matches can be highlighted on the original text.

use unicode_normalization::UnicodeNormalization;

/// What one normalised character becomes.
#[inline]
fn fold(c: char, out: &mut String) {
    match c {
        // Tashkeel, Quranic marks, superscript alef, tatweel.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}' => {}
        // Zero-width (incl. ZWNJ, ZWJ), bidi controls, byte order mark, Arabic letter mark.
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{061C}'
        | '\u{00AD}' => {}
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => out.push('ا'),
        'ى' | 'ی' => out.push('ي'),
        'ة' | 'ۃ' => out.push('ه'),
        'ک' => out.push('ك'),
        '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // Arabic has no case: skip the slow general lookup.
        '\u{0600}'..='\u{06FF}' => out.push(c),
        c if c.is_uppercase() => out.extend(c.to_lowercase()),
        c => out.push(c),
    }
}

/// Characters whose NFKC form is themselves (the common case; skips the NFKC machinery).
#[inline]
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || (('\u{0600}'..='\u{06FF}').contains(&c) && !('\u{0675}'..='\u{0678}').contains(&c))
}

fn push_char(c: char, out: &mut String) {
    if nfkc_stable(c) {
        fold(c, out);
    } else {
        // NFKC maps presentation forms (ﺍﻟﻌﺮﺑﻴﺔ) and ligatures to base letters. Applied per
        // character so every output byte maps back to one input character.
        for d in std::iter::once(c).nfkc() {
            fold(d, out);
        }
    }
}

/// Folds `text` to the form the analyzer matches on.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// Characters that normalisation leaves as they are: lower-case ASCII and the Arabic letters
/// outside the folded alef/hamza, alef maqsura and ta marbuta forms (most of any text).
#[inline]
fn unchanged(c: char) -> bool {
    match c {
        'أ' | 'إ' | 'آ' | 'ى' | 'ة' => false,
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => true,
        c => c.is_ascii() && !c.is_ascii_uppercase(),
    }
}

/// Appends the folded form of `text` to `out` (reusing its allocation). Runs of unchanged
/// characters are copied as they are.
pub fn normalize_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    let mut run = 0;
    for (i, c) in text.char_indices() {
        if unchanged(c) {
            continue;
        }
        out.push_str(&text[run..i]);
        push_char(c, out);
        run = i + c.len_utf8();
    }
    out.push_str(&text[run..]);
}

/// Normalised text with a map back to the original: `origin[i]` is the byte offset in the
/// original text of the character that produced normalised byte `i`, and
/// `origin[text.len()]` is the original length.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub text: String,
    origin: Vec<usize>,
}

impl Mapped {
    /// The original byte range of the normalised byte range `start..end`. The end extends
    /// over marks the normaliser dropped (tashkeel after the last letter is highlighted too).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.origin.len() - 1;
        (self.origin[start.min(last)], self.origin[end.min(last)])
    }
}

/// Like [`normalize`], keeping the offset map.
pub fn normalize_mapped(text: &str) -> Mapped {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let before = out.len();
        push_char(c, &mut out);
        origin.resize(origin.len() + (out.len() - before), i);
    }
    origin.push(text.len());
    Mapped { text: out, origin }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_common_variants() {
        assert_eq!(normalize("العَرَبِيَّة"), normalize("العربيه"));
        assert_eq!(normalize("العـــربية"), "العربيه");
        assert_eq!(normalize("أسلحة"), "اسلحه");
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("٢٠١٧"), "2017");
        assert_eq!(normalize("۲۰۱۷"), "2017");
        assert_eq!(normalize("ﺍﻟﻌﺮﺑﻴﺔ"), "العربيه");
        assert_eq!(normalize("ٱلحمد"), "الحمد");
        assert_eq!(normalize("مي\u{200C}خواهم"), "ميخواهم");
        assert_eq!(normalize("\u{200F}ليبيا\u{200D}"), "ليبيا");
        assert_eq!(normalize("Libya ABC"), "libya abc");
    }

    #[test]
    fn copied_runs_agree_with_folding_every_character() {
        for cp in 0..0x3000u32 {
            if let Some(c) = char::from_u32(cp) {
                let mut one = String::new();
                push_char(c, &mut one);
                if unchanged(c) {
                    assert_eq!(one, c.to_string(), "U+{cp:04X}");
                }
                assert_eq!(normalize(&format!("ab{c}ليبيا")), format!("ab{one}ليبيا"));
            }
        }
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let orig = "في العَرَبِيَّة اليوم";
        let m = normalize_mapped(orig);
        let start = m.text.find("العربيه").expect("normalised word");
        let (s, e) = m.original_range(start, start + "العربيه".len());
        assert_eq!(&orig[s..e], "العَرَبِيَّة");
        let m = normalize_mapped("ﺍﻟﻌﺮﺑﻴﺔ");
        assert_eq!(m.original_range(0, m.text.len()), (0, "ﺍﻟﻌﺮﺑﻴﺔ".len()));
    }

    /// The normaliser's variant table, spelled out: each character and the text it must
    /// fold like ("" for the marks it drops).
    fn variant_pairs() -> Vec<(char, String)> {
        let mut v: Vec<(char, String)> = Vec::new();
        let mut to = |chars: &mut dyn Iterator<Item = char>, base: &dyn Fn(char) -> String| {
            for c in chars {
                v.push((c, base(c)));
            }
        };
        to(
            &mut ['أ', 'إ', 'آ', 'ٱ', 'ٲ', 'ٳ'].into_iter(),
            &|_| "ا".into(),
        );
        to(&mut ['ى', 'ی'].into_iter(), &|_| "ي".into());
        to(&mut ['ة', 'ۃ'].into_iter(), &|_| "ه".into());
        to(&mut ['ک'].into_iter(), &|_| "ك".into());
        let mut dropped = ('\u{0610}'..='\u{061A}')
            .chain('\u{064B}'..='\u{065F}')
            .chain(['\u{0670}', '\u{0640}', '\u{FEFF}', '\u{061C}', '\u{00AD}'])
            .chain('\u{06D6}'..='\u{06ED}')
            .chain('\u{200B}'..='\u{200F}')
            .chain('\u{202A}'..='\u{202E}')
            .chain('\u{2060}'..='\u{2069}');
        to(&mut dropped, &|_| String::new());
        let digit = |zero: u32| move |c: char| (c as u32 - zero).to_string();
        to(&mut ('\u{0660}'..='\u{0669}'), &digit(0x0660));
        to(&mut ('\u{06F0}'..='\u{06F9}'), &digit(0x06F0));
        to(&mut ('A'..='Z'), &|c| c.to_ascii_lowercase().to_string());
        // Presentation forms fold like the letters they present.
        let mut forms = ('\u{FE80}'..='\u{FEFC}').chain('\u{FB50}'..='\u{FBB1}');
        to(&mut forms, &|c| c.nfkc().collect());
        v
    }

    #[test]
    fn the_variant_table_is_what_the_normaliser_folds() {
        for (c, base) in variant_pairs() {
            assert_eq!(
                normalize(&c.to_string()),
                normalize(&base),
                "U+{:04X}",
                c as u32
            );
        }
        assert!(variant_pairs().len() > 250);
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,60}", a in "[\\u{0600}-\\u{06FF}\\u{FB50}-\\u{FDFF}\\u{FE70}-\\u{FEFF} A-Za-z]{0,40}") {
            for text in [&s, &a] {
                let once = normalize(text);
                prop_assert_eq!(normalize(&once), once.clone(), "{:?}", text);
                prop_assert_eq!(normalize_mapped(text).text, once);
            }
        }

        #[test]
        fn normalising_never_grows_a_word(w in "[\\u{0600}-\\u{0674}\\u{0679}-\\u{06FF}a-zA-Z0-9]{0,30}") {
            // Outside compatibility ligatures (ﷲ, ﻻ, ٵ), which NFKC spells out, a word only
            // keeps, drops or folds its characters one for one.
            let n = normalize(&w);
            prop_assert!(n.chars().count() <= w.chars().count() && n.len() <= w.len(), "{:?} -> {:?}", w, n);
        }

        #[test]
        fn every_variant_folds_like_its_base_letter_inside_any_word(
            pre in "[\\u{0621}-\\u{064A}a-z0-9]{0,8}",
            post in "[\\u{0621}-\\u{064A}a-z0-9]{0,8}",
            at in any::<proptest::sample::Index>(),
        ) {
            let pairs = variant_pairs();
            let (c, base) = &pairs[at.index(pairs.len())];
            prop_assert_eq!(
                normalize(&format!("{pre}{c}{post}")),
                normalize(&format!("{pre}{base}{post}")),
                "U+{:04X}", *c as u32
            );
        }
    }
}
