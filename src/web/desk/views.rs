//! The desk's templates, rows and the article form page; the tag parser.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{ArticleForm, DESK_SOURCE};
use crate::locale::Tr;
use crate::model::{LabelOrigin, Section, Tag};
use crate::web::auth::views::html;
use crate::web::chrome::Chrome;
use crate::web::pages::{article_href, encode};
use crate::web::session::Ctx;

pub struct Row {
    source: String,
    title: String,
    section: String,
    published: bool,
    edit: String,
    status_action: String,
    delete: String,
}

#[derive(Template)]
#[template(path = "desk/index.html")]
pub struct DeskPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub csrf: String,
    pub items: Vec<Row>,
    pub recent: Vec<Row>,
}

#[derive(Template)]
#[template(path = "desk/edit.html")]
pub struct EditPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    is_new: bool,
    editable_text: bool,
    action: String,
    labels_action: String,
    status_action: String,
    /// Where "send as breaking" posts (a published article).
    breaking_action: String,
    /// Where the For-you pin posts, and the pin's end when the article is pinned.
    pin_action: String,
    pinned_until: Option<String>,
    max_pin_hours: i64,
    default_pin_hours: i64,
    view: Option<String>,
    title_v: String,
    subtitle_v: String,
    body_v: String,
    section_v: String,
    tags_v: String,
    published: bool,
    sections: Vec<(&'static str, String)>,
    notice: Option<String>,
    error: Option<String>,
}

/// Tags typed by an editor: separated by commas (Latin or Arabic), at most 20.
pub fn parse_tags(input: &str) -> Vec<Tag> {
    let mut out: Vec<Tag> = Vec::new();
    for name in input
        .split([',', '،'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let name = crate::ingest::clean::clean_line(&name.chars().take(60).collect::<String>());
        let slug = crate::model::tag_slug(&name);
        if slug.is_empty() || out.iter().any(|t| t.slug == slug) {
            continue;
        }
        out.push(Tag {
            slug,
            name,
            kind: "topic".into(),
            origin: LabelOrigin::Person,
            score: 1.0,
        });
        if out.len() == 20 {
            break;
        }
    }
    out
}

pub fn paths(source: &str, id: &str) -> (String, String, String) {
    let tail = format!("{}/{}", encode(source), encode(id));
    (
        format!("/desk/edit/{tail}"),
        format!("/desk/labels/{tail}"),
        format!("/desk/status/{tail}"),
    )
}

pub fn row(t: &Tr, item: crate::store::DeskItem) -> Row {
    let (edit, _, status_action) = paths(&item.source, &item.id);
    Row {
        delete: format!("/desk/delete/{}/{}", encode(&item.source), encode(&item.id)),
        title: item.title,
        section: item
            .section
            .map_or_else(|| "—".to_string(), |s| t.section(s).into_owned()),
        published: item.status == "published",
        edit,
        status_action,
        source: item.source,
    }
}

/// Where a stored article stands: published or not, and until when it is pinned.
#[derive(Default)]
pub struct Standing {
    pub published: bool,
    pub pinned_until: Option<String>,
}

pub fn edit_page(
    ctx: &Ctx,
    source: Option<(&str, &str)>,
    form: &ArticleForm,
    standing: Standing,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let (action, labels_action, status_action, view) = match source {
        Some((s, id)) => {
            let (edit, labels, status) = paths(s, id);
            (edit, labels, status, Some(article_href(s, id)))
        }
        None => ("/desk/articles".into(), String::new(), String::new(), None),
    };
    let breaking_action = source
        .map(|(s, id)| format!("/desk/breaking/{}/{}", encode(s), encode(id)))
        .unwrap_or_default();
    let pin_action = source
        .map(|(s, id)| format!("/desk/pin/{}/{}", encode(s), encode(id)))
        .unwrap_or_default();
    let page = EditPage {
        t: ctx.t,
        chrome: ctx.chrome.clone(),
        title: ctx.t.get("desk-edit-title").into_owned(),
        csrf: ctx.csrf.clone(),
        is_new: source.is_none(),
        editable_text: source.is_none_or(|(s, _)| s == DESK_SOURCE),
        action,
        labels_action,
        status_action,
        breaking_action,
        pin_action,
        pinned_until: standing.pinned_until,
        max_pin_hours: crate::newsroom::MAX_PIN_HOURS,
        default_pin_hours: crate::newsroom::DEFAULT_PIN_HOURS,
        view,
        title_v: form.title.clone(),
        subtitle_v: form.subtitle.clone(),
        body_v: form.body.clone(),
        section_v: form.section.clone(),
        tags_v: form.tags.clone(),
        published: standing.published,
        sections: Section::ALL
            .iter()
            .map(|s| (s.slug(), ctx.t.section(*s).into_owned()))
            .collect(),
        notice,
        error,
    };
    ctx.respond(html(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_both_commas_and_dedupe() {
        let tags = parse_tags("ليبيا، بنغازي, ليبيا ,, حفتر");
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["ليبيا", "بنغازي", "حفتر"]);
        assert!(tags.iter().all(|t| t.origin == LabelOrigin::Person));
        assert!(parse_tags(" , ،").is_empty());
        let many: Vec<String> = (0..30).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tags(&many.join(",")).len(), 20);
    }
}
