//! The reason shown on a feed item, in the reader's words (`locales/*/foryou.ftl`).

use super::score::Why;
use super::snapshot::Snapshot;
use crate::locale::Tr;
use crate::model::Section;

/// A section's name as a reason uses it (Arabic with the article: «الاقتصاد»).
pub fn section_name(t: Tr, s: Section) -> String {
    t.get(&format!("foryou-section-{}", s.slug())).into_owned()
}

/// The sentence for `why` in `t`'s locale.
pub fn text(snap: &Snapshot, why: Why, t: Tr) -> String {
    let named = |key: &str, name: &str| t.arg(key, "name", name).into_owned();
    match why {
        Why::FollowTag(tag) => named("reason-follow", snap.tag_name(tag)),
        Why::FollowSection(s) => named("reason-follow", &section_name(t, s)),
        Why::FollowSource(src) => named(
            "reason-follow",
            snap.vocab.sources.get(src as usize).map_or("", |s| s),
        ),
        Why::Profile(Some(tag), _) => named("reason-read-about", snap.tag_name(tag)),
        Why::Profile(None, Some(s)) => named("reason-read-section", &section_name(t, s)),
        Why::Profile(None, None) => t.get("reason-read").into_owned(),
        Why::Popular => t.get("reason-popular").into_owned(),
        Why::Fresh(Some(s)) => named("reason-fresh-in", &section_name(t, s)),
        Why::Fresh(None) => t.get("reason-fresh").into_owned(),
        Why::Pinned => t.get("reason-pinned").into_owned(),
    }
}
