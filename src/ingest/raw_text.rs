//! Raw text articles as scrapes deliver them: paragraphs, with the headline and sub-headline
//! somewhere (often after the body, sometimes repeated), and site boilerplate around them.
//!
//! The rules are general: boilerplate is dropped by phrase list and call-to-action shape; the
//! headline is a short line that the page repeats, or else the short line that opens or
//! closes the text; the sub-headline is the short line that follows the headline.

use super::boilerplate::Boilerplate;
use super::clean;

/// Title, subtitle and body found in a raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawArticle {
    pub title: String,
    pub subtitle: Option<String>,
    pub body: Vec<String>,
}

/// A line that can be a headline: short and not a finished sentence run.
fn headline_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let chars = line.chars().count();
    (2..=30).contains(&words) && chars <= 220 && !line.ends_with(['.', '؛', ':'])
}

/// Parses the text of one raw article.
pub fn parse(text: &str, boilerplate: &Boilerplate) -> Result<RawArticle, String> {
    let lines: Vec<String> = clean::paragraphs(text)
        .into_iter()
        .filter(|l| !boilerplate.is_boilerplate(l))
        .collect();
    if lines.is_empty() {
        return Err("no text (only blank lines or boilerplate)".into());
    }

    // 1. A headline the page repeats: the first headline-like line that occurs again.
    let repeated = lines.iter().enumerate().find_map(|(i, l)| {
        (headline_like(l) && lines[i + 1..].iter().any(|m| m == l)).then_some(i)
    });
    let (title_at, sub_at) = if let Some(i) = repeated {
        let sub = lines
            .get(i + 1)
            .filter(|s| headline_like(s) && **s != lines[i])
            .map(|_| i + 1);
        (i, sub)
    } else if let Some(i) = closing_headline(&lines) {
        (
            i,
            lines.get(i + 1).filter(|s| headline_like(s)).map(|_| i + 1),
        )
    } else if headline_like(&lines[0]) && lines.len() > 1 {
        let sub = (lines.len() > 2 && headline_like(&lines[1])).then_some(1);
        (0, sub)
    } else {
        return Err("no title found: no short headline line before or after the body".into());
    };

    let title = lines[title_at].clone();
    let subtitle = sub_at.map(|i| lines[i].clone());
    let block_end = sub_at.unwrap_or(title_at);
    let mut body = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i == title_at || Some(i) == sub_at || *line == title || Some(line) == subtitle.as_ref() {
            continue;
        }
        // After the headline block only real paragraphs count; short lines there are the
        // site's furniture (bylines, prompts, links).
        if i > block_end
            && title_at > 0
            && (headline_like(line) || boilerplate.is_call_to_action(line))
        {
            continue;
        }
        body.push(line.clone());
    }
    while body
        .last()
        .is_some_and(|l| boilerplate.is_call_to_action(l))
    {
        body.pop();
    }
    if body.is_empty() {
        return Err("empty body: only a headline was found".into());
    }
    Ok(RawArticle {
        title,
        subtitle,
        body,
    })
}

/// The headline of the body-first layout: the first short line after the last long
/// paragraph, when at least one long paragraph comes before it.
fn closing_headline(lines: &[String]) -> Option<usize> {
    let last_long = lines.iter().rposition(|l| !headline_like(l))?;
    let i = last_long + 1;
    (i < lines.len() && last_long > 0).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/asharq-libya-article.txt");
    const TITLE: &str = "ليبيا: معارك عنيفة بين الجيش والجماعات الإرهابية في شرق بنغازي";
    const SUBTITLE: &str = "حفتر ينفي طلب أي أسلحة من روسيا لمحاربة الإرهابيين";

    fn check(text: &str) {
        let a = parse(text, &Boilerplate::default()).expect("parses");
        assert_eq!(a.title, TITLE);
        assert_eq!(a.subtitle.as_deref(), Some(SUBTITLE));
        assert_eq!(a.body.len(), 10, "{:#?}", a.body);
        assert!(a.body[0].starts_with("نصح أمس المشير خليفة حفتر"));
        for p in &a.body {
            assert!(!p.contains("لم تشترك بعد") && !p.contains("انشئ حساباً"));
            assert_ne!(p, TITLE);
        }
    }

    #[test]
    fn fixture_and_its_variants() {
        check(FIXTURE);
        check(&FIXTURE.replace('\n', "\r\n"));
        check(&format!("\u{FEFF}{FIXTURE}"));
        check(&format!("{FIXTURE}\n\n\n  \n"));
        let without: Vec<&str> = FIXTURE.lines().take(13).collect();
        check(&without.join("\n"));
    }

    #[test]
    fn title_first_layout() {
        let text = "عنوان الخبر هنا\nعنوان فرعي قصير للخبر\nهذه فقرة طويلة من نص الخبر تتحدث عن أحداث كثيرة وقعت في المدينة خلال الأسبوع الماضي وما تبعها من ردود فعل واسعة بين السكان والمسؤولين في المنطقة كلها.\nفقرة ثانية طويلة بما يكفي لتكون جزءا من المتن وتضم تفاصيل إضافية عن الحادث وشهادات من شهود عيان كانوا في المكان وقت وقوعه.";
        let a = parse(text, &Boilerplate::default()).expect("parses");
        assert_eq!(a.title, "عنوان الخبر هنا");
        assert_eq!(a.subtitle.as_deref(), Some("عنوان فرعي قصير للخبر"));
        assert_eq!(a.body.len(), 2);
    }

    #[test]
    fn rejects_what_is_not_an_article() {
        let b = Boilerplate::default();
        assert!(parse("", &b).is_err());
        assert!(parse("\n\nلم تشترك بعد\n", &b).is_err());
        assert!(parse("عنوان وحيد", &b).is_err());
    }

    /// What every parsed article holds: a title, a body without it, no blank paragraph,
    /// and only lines of the input (the parser never invents text).
    fn check_article(
        input: &str,
        a: &RawArticle,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let lines = clean::paragraphs(input);
        proptest::prop_assert!(!a.title.is_empty() && lines.contains(&a.title), "{a:?}");
        proptest::prop_assert!(!a.body.is_empty(), "{a:?}");
        proptest::prop_assert!(a.subtitle.as_ref() != Some(&a.title), "{a:?}");
        for p in &a.body {
            proptest::prop_assert!(*p != a.title, "the title in the body: {a:?}");
            proptest::prop_assert!(!p.trim().is_empty() && lines.contains(p), "{p:?} of {a:?}");
        }
        Ok(())
    }

    /// A word of two to six Arabic letters.
    fn word() -> impl proptest::strategy::Strategy<Value = String> {
        "[بتثجحخدذرزسشصضطظعغفقكلمنهوي]{2,6}"
    }

    proptest::proptest! {
        #[test]
        fn a_parsed_article_keeps_its_title_out_of_the_body(s in "\\PC{0,400}") {
            if let Ok(a) = parse(&s, &Boilerplate::default()) {
                check_article(&s, &a)?;
            }
        }

        #[test]
        fn parsed_lines_keep_their_title_out_of_the_body(lines in proptest::collection::vec("[\\p{Arabic} .:،]{0,80}", 0..12)) {
            let text = lines.join("\n");
            if let Ok(a) = parse(&text, &Boilerplate::default()) {
                check_article(&text, &a)?;
            }
        }

        #[test]
        fn a_headline_over_long_paragraphs_is_read_back(
            title in proptest::collection::vec(word(), 3..8),
            paras in proptest::collection::vec(proptest::collection::vec(word(), 31..45), 1..4),
            repeated in proptest::prelude::any::<bool>(),
        ) {
            // The title-first layout, optionally with the headline repeated after the body
            // as pages do.
            let title = title.join(" ");
            let paras: Vec<String> = paras.iter().map(|p| format!("{}.", p.join(" "))).collect();
            let mut text = format!("{title}\n{}", paras.join("\n"));
            if repeated {
                text.push_str(&format!("\n{title}"));
            }
            let a = parse(&text, &Boilerplate::default());
            proptest::prop_assert_eq!(
                a,
                Ok(RawArticle { title, subtitle: None, body: paras }),
                "{}", text
            );
        }
    }
}
