//! Orthographic normalization for matching (never for display): tashkeel, tatweel,
//! alef/hamza forms, alef maqsura, ta marbuta, digits, invisible marks, case.

use unicode_normalization::UnicodeNormalization;

/// Folds `text` to the form the analyzer matches on.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // NFKC maps presentation forms (ﺍﻟﻌﺮﺑﻴﺔ) to base letters.
    for c in text.nfkc() {
        match c {
            // Tashkeel, Quranic marks, superscript alef, tatweel.
            '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}' => {}
            // Zero-width and bidi controls.
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => out.push('ا'),
            'ى' | 'ی' => out.push('ي'),
            'ة' => out.push('ه'),
            'ک' => out.push('ك'),
            '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
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
        assert_eq!(normalize("ﺍﻟﻌﺮﺑﻴﺔ"), "العربيه");
    }
}
