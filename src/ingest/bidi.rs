//! Bidirectional controls in stored text, and invisible characters in identifiers.
//!
//! **The rule for display text** (titles, subtitles, body paragraphs, tag names), applied
//! line by line: an embedding (U+202A, U+202B) is kept only when a U+202C closes it on the
//! same line, an isolate (U+2066..U+2068) only when a U+2069 closes it on the same line,
//! properly nested; every other embedding, isolate or closer is removed. Overrides (U+202D,
//! U+202E) are removed always, with the U+202C that closes them: they force the display
//! order of letters against their own direction, which is how `abc.\u{202E}txt.exe` shows
//! as `abc.exe.txt`, and news text has no use for them. The marks (U+200E, U+200F, U+061C)
//! and the joiners (U+200C, U+200D) are left to [`super::clean::clean_line`].
//!
//! **Identifiers** (`source`, `id`) and links refuse every character of
//! [`super::url::is_hidden_control`]: zero-width characters, bidi controls and marks, the
//! byte-order mark.

use std::borrow::Cow;

use super::url::is_hidden_control;

#[derive(Clone, Copy, PartialEq)]
enum Opener {
    Embedding,
    Override,
    Isolate,
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `line` without overrides and without the embeddings and isolates that are not closed on
/// it (see the module documentation).
pub fn balance(line: &str) -> Cow<'_, str> {
    if !line.chars().any(is_bidi_control) {
        return Cow::Borrowed(line);
    }
    let chars: Vec<char> = line.chars().collect();
    // A control is removed unless its pair is found below.
    let mut keep: Vec<bool> = chars.iter().map(|c| !is_bidi_control(*c)).collect();
    let mut open: Vec<(usize, Opener)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\u{202A}' | '\u{202B}' => open.push((i, Opener::Embedding)),
            '\u{202D}' | '\u{202E}' => open.push((i, Opener::Override)),
            '\u{2066}'..='\u{2068}' => open.push((i, Opener::Isolate)),
            // A closer inside an isolate (or of nothing) closes nothing.
            '\u{202C}' => match open.last() {
                Some(&(at, Opener::Embedding)) => {
                    open.pop();
                    keep[at] = true;
                    keep[i] = true;
                }
                Some(&(_, Opener::Override)) => {
                    open.pop();
                }
                _ => {}
            },
            '\u{2069}' if open.iter().any(|(_, o)| *o == Opener::Isolate) => {
                // The closer of an isolate also ends what was left open inside it.
                while let Some((at, o)) = open.pop() {
                    if o == Opener::Isolate {
                        keep[at] = true;
                        keep[i] = true;
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    Cow::Owned(
        chars
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(c, _)| *c)
            .collect(),
    )
}

/// Checks an identifier from outside (`source`, `id`): why it is refused, naming `field`,
/// when it holds an invisible or direction character.
pub fn check_identifier(field: &str, value: &str) -> Result<(), String> {
    match value.chars().find(|c| is_hidden_control(*c)) {
        Some(c) => Err(format!(
            "field `{field}`: holds the invisible or direction character U+{:04X}, \
             which is not allowed in identifiers",
            c as u32
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unclosed_and_override_controls_go_balanced_isolates_stay() {
        assert_eq!(balance("abc.\u{202E}txt.exe"), "abc.txt.exe");
        assert_eq!(balance("abc.\u{202E}exe.txt\u{202C}"), "abc.exe.txt");
        assert_eq!(
            balance("a \u{2067}ليبيا\u{2069} b"),
            "a \u{2067}ليبيا\u{2069} b"
        );
        assert_eq!(
            balance("a \u{202B}ليبيا\u{202C} b"),
            "a \u{202B}ليبيا\u{202C} b"
        );
        assert_eq!(balance("\u{2069}x\u{2067}"), "x");
        assert_eq!(balance("\u{2067}x\u{202B}y\u{2069}"), "\u{2067}xy\u{2069}");
        assert_eq!(balance("\u{2067}x\u{202C}\u{2069}"), "\u{2067}x\u{2069}");
        assert_eq!(balance("plain"), "plain");
    }

    #[test]
    fn identifiers_refuse_invisible_characters() {
        assert!(check_identifier("id", "a-1").is_ok());
        let e = check_identifier("source", "wire\u{200B}").unwrap_err();
        assert!(e.contains("`source`") && e.contains("U+200B"), "{e}");
        for c in [
            '\u{202E}', '\u{2066}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
        ] {
            assert!(check_identifier("id", &format!("a{c}b")).is_err());
        }
    }

    proptest! {
        #[test]
        fn balancing_is_idempotent_and_leaves_no_override(
            s in "[a\u{202A}-\u{202E}\u{2066}-\u{2069}.]{0,40}"
        ) {
            let once = balance(&s).into_owned();
            prop_assert_eq!(balance(&once).into_owned(), once.clone());
            let overridden = once.contains(['\u{202D}', '\u{202E}']);
            prop_assert!(!overridden);
        }
    }
}
