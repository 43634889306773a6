//! Text cleaning for storage: UTF-8 decoding, Unicode NFC, control and invisible characters,
//! whitespace, and splitting into paragraphs. Display text keeps its letters and marks.

use unicode_normalization::UnicodeNormalization;

/// Decodes bytes as UTF-8 (a UTF-8 BOM is dropped; UTF-16 with a BOM is decoded).
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_utf8(rest);
    }
    let utf16 = |le: bool, rest: &[u8]| -> Result<String, String> {
        if !rest.len().is_multiple_of(2) {
            return Err("UTF-16 text with an odd number of bytes".into());
        }
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("invalid UTF-16: {e}"))
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(true, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(false, rest),
        _ => decode_utf8(bytes),
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(format!(
            "not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )),
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{00AD}'
    )
}

/// Whether `s` is certainly in NFC without looking anything up: only characters that are
/// NFC-stable and never combine (ASCII, Latin-1, Arabic letters and digits, punctuation).
fn plainly_nfc(s: &str) -> bool {
    s.chars().all(|c| {
        // U+0610..U+061A are combining marks that NFC reorders, so they are left out.
        matches!(c as u32, 0..=0x2FF | 0x0600..=0x060F | 0x061B..=0x064A | 0x0660..=0x066F | 0x0671..=0x06D5 | 0x2000..=0x206F)
    })
}

/// Cleans one line of display text: NFC; control characters dropped; invisible
/// (zero-width, bidi) characters dropped where they sit inside or at the edge of a word
/// (they break search and copy-paste there), kept between other characters, except a
/// zero-width joiner or non-joiner between two letters (how some words are spelled);
/// embeddings and isolates not closed on the line, and every override, removed
/// ([`super::bidi::balance`]); whitespace runs (NBSP included) collapsed to one space;
/// trimmed.
pub fn clean_line(line: &str) -> String {
    let normalized: std::borrow::Cow<'_, str> = if plainly_nfc(line) {
        std::borrow::Cow::Borrowed(line)
    } else {
        std::borrow::Cow::Owned(line.nfc().collect())
    };
    let s = normalized.as_ref();
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if is_invisible(c) && !joins_letters(s, i, c) {
            let prev = s[..i].chars().rev().find(|c| !is_invisible(*c));
            let next = s[i + c.len_utf8()..].chars().find(|c| !is_invisible(*c));
            let wordish =
                |c: Option<char>| c.is_none_or(|c| c.is_alphanumeric() || c.is_whitespace());
            if wordish(prev) && wordish(next) {
                continue;
            }
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    match super::bidi::balance(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(balanced) => balanced,
    }
}

/// Whether `c` at byte `i` of `s` is a zero-width joiner or non-joiner between two letters:
/// its use inside a word, which changes how the letters join, so it is kept.
fn joins_letters(s: &str, i: usize, c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
        && s[..i].chars().next_back().is_some_and(char::is_alphabetic)
        && s[i + c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
}

/// Splits text into cleaned, non-empty paragraphs (one per line).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map(clean_line)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A language guess from letters: `ar` when Arabic letters dominate, `en` for Latin,
/// `und` when there are no letters.
pub fn guess_language(text: &str) -> &'static str {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars().take(5000) {
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => "und",
        (a, l) if a >= l => "ar",
        _ => "en",
    }
}

/// A title made of the opening words of a paragraph: up to the first sentence end, at most
/// twelve words, with an ellipsis when it was cut.
pub fn title_from_body(paragraph: &str) -> String {
    const MAX_WORDS: usize = 12;
    let sentence = paragraph
        .split_inclusive(['.', '؟', '?', '!', ':'])
        .next()
        .unwrap_or(paragraph)
        .trim_end_matches(['.', ':', ' '])
        .trim();
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= MAX_WORDS {
        words.join(" ")
    } else {
        let mut cut = words[..MAX_WORDS].join(" ");
        cut = cut.trim_end_matches(['،', ',', '؛', ';']).to_string();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strips_marks_inside_words_only() {
        assert_eq!(clean_line("ليب\u{200B}يا"), "ليبيا");
        assert_eq!(
            clean_line("  حفتر\u{00A0}\u{00A0}في   بنغازي \u{200F}"),
            "حفتر في بنغازي"
        );
        // A mark between punctuation and a digit keeps its display meaning.
        assert_eq!(clean_line("(\u{200E}5)"), "(\u{200E}5)");
        // A joiner between letters is spelling; at a word's edge it is noise.
        assert_eq!(clean_line("مي\u{200C}خواهم"), "مي\u{200C}خواهم");
        assert_eq!(clean_line("ليبيا\u{200D} x"), "ليبيا x");
        assert_eq!(clean_line("abc.\u{202E}txt.exe"), "abc.txt.exe");
    }

    #[test]
    fn arabic_signs_are_put_in_canonical_order() {
        // Found by fast_path_agrees_with_full_nfc: U+0610 (class 230) after U+0618 (class
        // 30) must be reordered, which the fast path used to skip.
        assert_eq!(clean_line("\u{610}\u{618}"), "\u{618}\u{610}");
    }

    #[test]
    fn decodes_bom_and_rejects_bad_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").as_deref(), Ok("abc"));
        assert!(decode(b"ab\xFFc").unwrap_err().contains("offset 2"));
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0]).as_deref(), Ok("a"));
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent_and_never_panics(s in "\\PC{0,200}") {
            let once = clean_line(&s);
            prop_assert_eq!(clean_line(&once), once.clone());
            prop_assert!(!once.contains('\n'));
        }

        #[test]
        fn fast_path_agrees_with_full_nfc(s in "[\\u{0600}-\\u{06FF} a-zé\\u{0301}\\u{200B}\\u{00A0}]{0,60}") {
            let full: String = s.nfc().collect();
            prop_assert_eq!(clean_line(&s), clean_line(&full));
        }

        #[test]
        fn decode_reads_utf8_and_utf16_with_or_without_a_bom(s in "\\PC{0,100}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(decode(s.as_bytes()), Ok(s.clone()));
            let bom8 = [&[0xEF, 0xBB, 0xBF][..], s.as_bytes()].concat();
            prop_assert_eq!(decode(&bom8), Ok(s.clone()));
            let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(s.encode_utf16().flat_map(u16::to_le_bytes)).collect();
            prop_assert_eq!(decode(&le), Ok(s.clone()));
            let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(s.encode_utf16().flat_map(u16::to_be_bytes)).collect();
            prop_assert_eq!(decode(&be), Ok(s.clone()));
            // Any bytes: UTF-8 exactly when they are valid UTF-8 (no UTF-16 BOM).
            if !bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFE, 0xFF]) {
                let plain = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
                prop_assert_eq!(decode(&bytes).ok(), std::str::from_utf8(plain).ok().map(String::from));
            }
        }
    }
}
