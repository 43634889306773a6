//! One record made an article: cleaned paragraphs without boilerplate, a title (found in the
//! body, or made from its first words with a warning), a checked source and id, a section
//! from the source's category, a checked link, the language and the content hash.

use chrono::Utc;

use super::boilerplate::Boilerplate;
use super::{FieldWarning, Incoming, bidi, clean, url};
use crate::model::{Article, LabelOrigin, Section, derive_id};

/// Cleans and identifies one record (see [`Pipeline::prepare`]); warnings are dropped.
pub fn prepare(
    inc: Incoming,
    default_source: &str,
    boilerplate: &Boilerplate,
) -> Result<Article, String> {
    prepare_checked(inc, default_source, boilerplate).map(|(a, _)| a)
}

/// Cleans and identifies one record, giving the warnings about the optional fields the
/// parser or this step dropped (a source link that is not `http(s)`, …).
pub fn prepare_checked(
    inc: Incoming,
    default_source: &str,
    boilerplate: &Boilerplate,
) -> Result<(Article, Vec<FieldWarning>), String> {
    let mut warnings = inc.warnings;
    let mut body: Vec<String> = clean::paragraphs(&inc.body)
        .into_iter()
        .filter(|p| !boilerplate.is_boilerplate(p))
        .collect();
    let mut title = inc
        .title
        .as_deref()
        .map(clean::clean_line)
        .unwrap_or_default();
    let subtitle = inc
        .subtitle
        .as_deref()
        .map(clean::clean_line)
        .filter(|s| !s.is_empty());
    // A record without a title may open its body with one.
    if title.is_empty() && body.len() > 1 {
        let first = &body[0];
        if first.split_whitespace().count() <= 25 && !first.ends_with(['.', '،', ':']) {
            title = body.remove(0);
        }
    }
    let mut title_made = false;
    if title.is_empty() {
        // Nothing valid is lost: an article whose title is missing gets one made of the
        // first words of its body, with a warning, and keeps its whole body.
        match body.first().map(|p| clean::title_from_body(p)) {
            Some(made) if !made.is_empty() => {
                title = made;
                title_made = true;
                warnings.push(FieldWarning::new(
                    "title",
                    "empty: a title was made from the first words of the body",
                ));
            }
            _ => return Err("empty body: field `body` has no text".into()),
        }
    }
    if !title_made {
        body.retain(|p| *p != title);
    }
    if body.is_empty() {
        return Err("empty body: field `body` has no text".into());
    }
    let source = inc
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(default_source)
        .to_string();
    if source.len() > 200 || source.chars().any(char::is_control) {
        return Err(format!(
            "field `source`: {source:?} is not a usable source name"
        ));
    }
    bidi::check_identifier("source", &source)?;
    let id = match inc.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if id.len() > 500 => return Err("field `id`: longer than 500 bytes".into()),
        Some(id) => {
            bidi::check_identifier("id", id)?;
            id.to_string()
        }
        None => derive_id(&title, &body),
    };
    let section = match inc
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => Section::parse(c),
    };
    let url = match inc.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => match url::web_url(u) {
            Ok(u) => Some(u),
            Err(reason) => {
                warnings.push(FieldWarning::new("url", format!("dropped: {reason}")));
                None
            }
        },
    };
    let language = clean::guess_language(&body.join(" ")).to_string();
    let mut article = Article {
        source,
        id,
        title,
        subtitle,
        body,
        section,
        section_confidence: section.map(|_| 1.0),
        section_origin: LabelOrigin::Source,
        tags: Vec::new(),
        url,
        published: inc.published,
        imported: Utc::now(),
        language,
        content_hash: String::new(),
    };
    article.content_hash = article.compute_hash();
    Ok((article, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_without_a_title_keeps_its_body_and_gets_a_made_title_with_a_warning() {
        let inc = Incoming {
            title: Some("  ".into()),
            body: "أكد المدير الجهوي للحماية المدنية بصفاقس أنه لم تسجل وضعيات خطرة جراء الامطار الغزيرة، موضحا أن التدخلات اقتصرت على شفط المياه.".into(),
            ..Incoming::default()
        };
        let (a, warnings) = prepare_checked(inc, "s", &Boilerplate::default()).expect("kept");
        assert_eq!(
            a.title,
            "أكد المدير الجهوي للحماية المدنية بصفاقس أنه لم تسجل وضعيات خطرة جراء…"
        );
        assert_eq!(a.body.len(), 1, "the body is kept whole");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].field, "title");
    }

    #[test]
    fn prepare_derives_ids_and_rejects_empty() {
        let b = Boilerplate::default();
        let inc = Incoming {
            title: Some("عنوان".into()),
            body: "فقرة أولى\n\nفقرة ثانية\nاقرأ أيضاً".into(),
            ..Incoming::default()
        };
        let a = prepare(inc.clone(), "local", &b).expect("valid");
        assert_eq!(a.source, "local");
        assert_eq!(a.body, vec!["فقرة أولى", "فقرة ثانية"]);
        assert_eq!(a.id, prepare(inc, "local", &b).expect("valid").id);
        let empty = Incoming {
            title: Some("t".into()),
            body: " \n ".into(),
            ..Incoming::default()
        };
        assert!(
            prepare(empty, "local", &b)
                .unwrap_err()
                .contains("empty body")
        );
    }

    #[test]
    fn unknown_category_is_left_unclassified() {
        let inc = Incoming {
            title: Some("t".into()),
            body: "b".into(),
            category: Some("weather".into()),
            ..Incoming::default()
        };
        assert_eq!(
            prepare(inc, "s", &Boilerplate::default())
                .expect("valid")
                .section,
            None
        );
    }
}
