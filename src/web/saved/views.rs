//! Templates of the saved pages, and what the article cards need to show a save button.

use askama::Template;

use crate::locale::Tr;
use crate::model::Section;
use crate::reader::saved::SavedHit;
use crate::search::Segment;
use crate::store::SavedRow;
use crate::web::chrome::Chrome;
use crate::web::pages::encode;

/// What a page needs to draw save buttons: whether someone is signed in, the CSRF token of
/// the forms, and where to come back to after a save without JavaScript.
#[derive(Debug, Clone, Default)]
pub struct Saver {
    pub signed_in: bool,
    pub csrf: String,
    pub next: String,
    /// `save_action` of the shown articles the member has saved.
    pub saved: std::collections::HashSet<String>,
}

impl Saver {
    /// Whether the member has saved `a`.
    pub fn is_saved(&self, a: &crate::web::pages::ArticleView) -> bool {
        self.saved.contains(&a.save_action)
    }
}

/// `/saved/{source}/{id}` (the copy) and the form's action.
pub fn saved_href(source: &str, id: &str) -> String {
    format!("/saved/{}/{}", encode(source), encode(id))
}

/// A copy as the saved pages show it.
pub struct ItemView {
    pub href: String,
    pub live_href: String,
    pub source: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub body: Vec<String>,
    pub section: Option<Section>,
    pub tags: Vec<(String, String)>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub saved_iso: String,
    pub saved_date: String,
    pub published_date: Option<String>,
    pub updated: bool,
    pub removed: bool,
    pub snippet: Vec<Segment>,
}

impl ItemView {
    pub fn new(row: SavedRow, snippet: Vec<Segment>, t: Tr) -> ItemView {
        let (updated, removed) = (row.updated_since_saved(), row.removed());
        let it = row.item;
        ItemView {
            href: saved_href(&it.source, &it.id),
            live_href: crate::web::pages::article_href(&it.source, &it.id),
            saved_iso: it
                .saved_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            saved_date: t.date(it.saved_at),
            published_date: it.published.map(|p| t.date(p)),
            section: it.section.as_deref().and_then(Section::parse),
            tags: it
                .tags
                .into_iter()
                .map(|t| (format!("/saved?tag={}", encode(&t.slug)), t.name))
                .collect(),
            source: it.source,
            title: it.title,
            subtitle: it.subtitle,
            body: it.body,
            url: crate::ingest::url::safe_href(it.url.as_deref()),
            note: it.note,
            updated,
            removed,
            snippet,
        }
    }
}

impl ItemView {
    /// A listed copy.
    pub fn hit(h: SavedHit, t: Tr) -> ItemView {
        ItemView::new(h.row, h.snippet, t)
    }
}

#[derive(Template)]
#[template(path = "saved/list.html")]
pub struct ListPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub csrf: String,
    pub q: String,
    pub section: String,
    pub sections: Vec<(&'static str, String)>,
    pub tag: String,
    pub count: String,
    pub items: Vec<ItemView>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub next_here: String,
}

#[derive(Template)]
#[template(path = "saved/item.html")]
pub struct ItemPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub csrf: String,
    pub it: ItemView,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "saved/gone.html")]
pub struct GonePage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub copy: Option<String>,
}
