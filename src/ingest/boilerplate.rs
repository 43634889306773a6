//! Recognising site boilerplate (sign-up prompts, share buttons, "read also" links,
//! copyright lines) by general rules and an extensible phrase list.

use std::path::Path;

use anyhow::Context;

use crate::arabic::normalize;

/// The built-in phrase list (`data/boilerplate.txt`).
const BUILTIN: &str = include_str!("../../data/boilerplate.txt");

/// A line longer than this many words is a paragraph, whatever it starts with.
const MAX_BOILERPLATE_WORDS: usize = 30;

/// Known boilerplate phrases, kept normalised.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    phrases: Vec<String>,
    /// Words in the longest phrase: only that many words of a line need comparing.
    max_words: usize,
}

impl Default for Boilerplate {
    fn default() -> Self {
        Boilerplate::from_text(BUILTIN)
    }
}

impl Boilerplate {
    /// Parses a phrase list: one phrase a line, `#` comments.
    pub fn from_text(text: &str) -> Boilerplate {
        let mut phrases: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(key)
            .filter(|k| !k.is_empty())
            .collect();
        phrases.sort();
        phrases.dedup();
        let max_words = phrases
            .iter()
            .map(|p| p.split(' ').count())
            .max()
            .unwrap_or(0);
        Boilerplate { phrases, max_words }
    }

    /// The built-in list plus the phrases of `extra` when given.
    pub fn load(extra: Option<&Path>) -> anyhow::Result<Boilerplate> {
        let mut text = BUILTIN.to_string();
        if let Some(path) = extra {
            let more = std::fs::read_to_string(path)
                .with_context(|| format!("reading boilerplate file {}", path.display()))?;
            text.push('\n');
            text.push_str(&more);
        }
        Ok(Boilerplate::from_text(&text))
    }

    /// The words of the known phrases (normalised), e.g. to keep them out of tags.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.phrases.iter().flat_map(|p| p.split(' '))
    }

    /// Whether `line` is boilerplate: a short line that starts with a known phrase, or that
    /// is a known phrase followed only by punctuation.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        if line.split_whitespace().nth(MAX_BOILERPLATE_WORDS).is_some() {
            return false;
        }
        // A phrase is a prefix: the line's first words decide (a few spare for punctuation).
        let k = key(first_words(line, self.max_words + 3));
        if k.is_empty() {
            return false;
        }
        self.phrases
            .iter()
            .any(|p| k == *p || (k.starts_with(p.as_str()) && k[p.len()..].starts_with(' ')))
    }

    /// Whether `line` looks like a call to action even if its phrase is not listed: short,
    /// no sentence punctuation, and built on imperative sign-up/share vocabulary.
    pub fn is_call_to_action(&self, line: &str) -> bool {
        const CUES: [&str; 12] = [
            "اشترك",
            "سجل",
            "حساب",
            "تابعونا",
            "تابعنا",
            "حمل",
            "انقر",
            "اضغط",
            "شارك",
            "النشره",
            "التطبيق",
            "مجانا",
        ];
        let words = line.split_whitespace().count();
        if words == 0 || words > 25 || line.contains(['.', '؟', '?']) && words > 12 {
            return false;
        }
        let k = key(line);
        k.split(' ')
            .filter(|w| {
                CUES.iter()
                    .any(|c| w.trim_start_matches(['و', 'ل']).starts_with(c))
            })
            .count()
            >= 2
    }
}

/// The first `n` whitespace-separated words of `line` (all of it when shorter).
fn first_words(line: &str, n: usize) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            if words == n {
                return line[..i].trim_end();
            }
            words += 1;
            in_word = true;
        }
    }
    line
}

/// Normalised comparison key: analyzer normalisation, letters and digits only, single spaces.
fn key(s: &str) -> String {
    let n = normalize(s);
    let mut out = String::with_capacity(n.len());
    for w in n
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_listed_phrases_and_variants() {
        let b = Boilerplate::default();
        assert!(b.is_boilerplate("لم تشترك بعد"));
        assert!(b.is_boilerplate("اقرأ أيضاً: الجيش يتقدم"));
        assert!(b.is_boilerplate("اقرأ ايضا"));
        assert!(b.is_boilerplate(
            "انشئ حساباً خاصاً بك لتحصل على أخبار مخصصة لك ولتتمتع بخاصية حفظ المقالات"
        ));
        assert!(!b.is_boilerplate("شاركت القوات في المعارك"));
        assert!(!b.is_boilerplate("ليبيا: معارك عنيفة بين الجيش والجماعات الإرهابية"));
    }

    #[test]
    fn first_words_cuts_at_word_boundaries() {
        assert_eq!(first_words("  a bb  ccc d", 2), "  a bb");
        assert_eq!(first_words("a b", 5), "a b");
        assert_eq!(first_words("", 1), "");
    }

    #[test]
    fn a_phrase_list_is_read_normalised_without_its_comments() {
        let b = Boilerplate::from_text("# لم تشترك بعد\nحصرياً على موقعنا\n");
        assert!(b.is_boilerplate("حصريا على موقعنا"));
        assert!(!b.is_boilerplate("لم تشترك بعد"), "a comment is no phrase");
    }

    #[test]
    fn user_phrases_extend_the_builtin_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("extra.txt");
        std::fs::write(&path, "# ours\nحصرياً على موقعنا\n").expect("write");
        let b = Boilerplate::load(Some(&path)).expect("load");
        assert!(b.is_boilerplate("حصريا على موقعنا"), "the user's phrase");
        assert!(b.is_boilerplate("لم تشترك بعد"), "a built-in phrase");
        assert!(!b.is_boilerplate("شاركت القوات في المعارك"));
        let builtin = Boilerplate::load(None).expect("load");
        assert!(!builtin.is_boilerplate("حصريا على موقعنا"));
        assert!(builtin.is_boilerplate("لم تشترك بعد"));
        let missing = dir.path().join("missing.txt");
        let err = format!(
            "{:#}",
            Boilerplate::load(Some(&missing)).expect_err("missing")
        );
        assert!(err.contains("missing.txt"), "{err}");
    }

    #[test]
    fn spots_unlisted_calls_to_action() {
        let b = Boilerplate::default();
        assert!(b.is_call_to_action("حمّل التطبيق واشترك مجاناً"));
        assert!(!b.is_call_to_action("حفتر ينفي طلب أي أسلحة من روسيا لمحاربة الإرهابيين"));
    }
}
