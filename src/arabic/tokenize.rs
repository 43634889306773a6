//! Tokenization of normalised text into words (letters, marks and digits).

/// A token: byte offsets into the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// `char::is_alphanumeric` for the Arabic block, looked up once: the general lookup is slow
/// for non-ASCII characters and dominated indexing time.
static ARABIC_ALNUM: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|i| char::from_u32(0x0600 + i as u32).is_some_and(char::is_alphanumeric))
});

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let alnum = match c as u32 {
        cp @ 0x0600..=0x06FF => ARABIC_ALNUM[(cp - 0x0600) as usize],
        _ => c.is_alphanumeric(),
    };
    alnum || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// The byte range of the word of `text` that holds the byte range `start..end` (which must
/// lie on character boundaries): the same word [`tokens`] would give there.
pub fn word_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let before = text[..start]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(start, |(i, _)| i);
    let after = text[end..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| end + i);
    (before, after)
}

/// The words of `text`, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = iter.peek() {
            if is_word_char(c) {
                break;
            }
            iter.next();
        }
        let (start, _) = *iter.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = iter.peek() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            iter.next();
        }
        Some(Token {
            text: &text[start..end],
            start,
            end,
        })
    })
}

#[cfg(test)]
mod word_char_tests {
    use super::{is_word_char, tokens, word_around};

    #[test]
    fn the_word_around_a_match_is_the_token_there() {
        let text = "قال الجيش الليبي، في بنغازي";
        for t in tokens(text) {
            for (i, _) in t.text.char_indices() {
                let (s, _) = (t.start + i, ());
                let e = s + t.text[i..].chars().next().map_or(0, char::len_utf8);
                assert_eq!(word_around(text, s, e), (t.start, t.end));
            }
        }
    }

    #[test]
    fn fast_path_agrees_with_the_general_definition() {
        for cp in 0..0x3000u32 {
            if let Some(c) = char::from_u32(cp) {
                let general = c.is_alphanumeric()
                    || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}');
                assert_eq!(is_word_char(c), general, "U+{cp:04X}");
            }
        }
    }
}
