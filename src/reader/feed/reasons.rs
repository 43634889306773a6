//! The reason shown on a feed item, in words.

use super::score::Why;
use super::snapshot::Snapshot;
use crate::model::Section;

/// A section's name with the definite article («الاقتصاد», «الشرق الأوسط»).
pub fn section_definite(s: Section) -> String {
    let name = s.name_ar();
    if name.starts_with("ال") {
        name.to_string()
    } else {
        format!("ال{name}")
    }
}

/// The Arabic sentence for `why`.
pub fn text(snap: &Snapshot, why: Why) -> String {
    match why {
        Why::FollowTag(t) => format!("لأنك تتابع {}", snap.tag_name(t)),
        Why::FollowSection(s) => format!("لأنك تتابع {}", section_definite(s)),
        Why::FollowSource(src) => format!(
            "لأنك تتابع {}",
            snap.vocab
                .sources
                .get(src as usize)
                .map_or("", String::as_str)
        ),
        Why::Profile(Some(t), _) => format!("لأنك قرأت عن {}", snap.tag_name(t)),
        Why::Profile(None, Some(s)) => format!("لأنك تقرأ أخبار {}", section_definite(s)),
        Why::Profile(None, None) => "قريب مما قرأته".to_string(),
        Why::Popular => "خبر تتناقله مصادر عدة".to_string(),
        Why::Fresh(Some(s)) => format!("جديد في {}", section_definite(s)),
        Why::Fresh(None) => "جديد".to_string(),
        Why::Pinned => "اختاره المحررون".to_string(),
    }
}
