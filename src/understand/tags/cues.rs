//! Cue words that announce a name: titles before people (الرئيس، المشير، الوزير),
//! kinds of organisation before their names (وكالة، شركة، حزب), and kinds of place before
//! place names (مدينة، بلدة). All in normalised form.

/// Titles and roles that precede a person's name.
const PERSON: &[&str] = &[
    "الرئيس",
    "الرئيسه",
    "رئيس",
    "المشير",
    "الوزير",
    "الوزيره",
    "وزير",
    "وزيره",
    "الملك",
    "الملكه",
    "الامير",
    "الاميره",
    "ولي",
    "الشيخ",
    "الشيخه",
    "اللواء",
    "العميد",
    "العقيد",
    "الفريق",
    "الجنرال",
    "المستشار",
    "المستشاره",
    "السيد",
    "السيده",
    "الدكتور",
    "الدكتوره",
    "النائب",
    "النائبه",
    "المتحدث",
    "الناطق",
    "الزعيم",
    "القائد",
    "المرشد",
    "البابا",
    "السفير",
    "السفيره",
    "المبعوث",
    "الامين",
    "المدرب",
    "مدرب",
    "اللاعب",
    "لاعب",
    "النجم",
    "الفنان",
    "الفنانه",
    "الكاتب",
    "الكاتبه",
    "الروائي",
    "الروائيه",
    "المخرج",
    "المخرجه",
    "الشاعر",
    "الشاعره",
    "الممثل",
    "الممثله",
    "المطرب",
    "المطربه",
    "الباحث",
    "الباحثه",
    "البروفيسور",
    "الاعلامي",
    "الاعلاميه",
    "الصحفي",
    "الصحفيه",
    "المدير",
    "المديره",
];

/// Kinds of organisation that precede an organisation's name.
const ORGANISATION: &[&str] = &[
    "وكاله",
    "صحيفه",
    "شركه",
    "حزب",
    "حركه",
    "منظمه",
    "قناه",
    "مجموعه",
    "جماعه",
    "تنظيم",
    "بنك",
    "مصرف",
    "جامعه",
    "نادي",
    "مؤسسه",
    "هيئه",
    "مجله",
    "موقع",
    "تحالف",
    "ميليشيا",
    "ميليشيات",
    "منصه",
    "تطبيق",
    "صندوق",
    "مجلس",
];

/// Kinds of place that precede a place's name.
const PLACE: &[&str] = &[
    "مدينه",
    "بلده",
    "قريه",
    "العاصمه",
    "محافظه",
    "ولايه",
    "اقليم",
    "منطقه",
    "مخيم",
    "ميناء",
    "جزيره",
    "بحيره",
    "نهر",
    "مقاطعه",
    "حي",
    "ضاحيه",
];

/// Name particles that may precede an article-prefixed part of a name (عبد الفتاح).
const NAME_PARTICLES: &[&str] = &["عبد", "ابو", "ابن", "بن", "بنت", "ابي", "ال"];

fn strip_conj(key: &str) -> &str {
    key.strip_prefix('و')
        .filter(|r| r.chars().count() >= 3)
        .unwrap_or(key)
}

/// Whether a word is a title before a person's name.
pub fn is_person_title(key: &str) -> bool {
    PERSON.contains(&key) || PERSON.contains(&strip_conj(key))
}

/// Titles after which a single word is more often a club than a person (مدرب أرسنال).
pub fn is_sports_title(key: &str) -> bool {
    matches!(
        strip_conj(key),
        "المدرب" | "مدرب" | "اللاعب" | "لاعب" | "النجم"
    )
}

/// Whether a word, or the word after one attached preposition (لنادي), names a kind of
/// organisation or place.
pub fn is_kind_word(key: &str) -> bool {
    let bare = super::words::strip_proclitic(key).filter(|r| r.chars().count() >= 3);
    [Some(key), bare]
        .into_iter()
        .flatten()
        .any(|k| is_organisation_kind(k) || is_place_kind(k))
}

/// Whether a word names a kind of organisation.
pub fn is_organisation_kind(key: &str) -> bool {
    [key, strip_conj(key)].into_iter().any(|k| {
        ORGANISATION.contains(&k)
            || k.strip_prefix("ال")
                .is_some_and(|r| ORGANISATION.contains(&r))
    })
}

/// Whether a word names a kind of place.
pub fn is_place_kind(key: &str) -> bool {
    [key, strip_conj(key)]
        .into_iter()
        .any(|k| PLACE.contains(&k) || k.strip_prefix('ب').is_some_and(|r| PLACE.contains(&r)))
}

/// Whether a word is a particle inside names.
pub fn is_name_particle(key: &str) -> bool {
    NAME_PARTICLES.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::normalize;

    #[test]
    fn cue_lists_are_normalised() {
        for list in [PERSON, ORGANISATION, PLACE, NAME_PARTICLES] {
            for w in list {
                assert_eq!(normalize(w), *w);
            }
        }
        assert!(is_person_title("المشير") && is_person_title("والرئيس"));
        assert!(is_organisation_kind("وكاله") && is_place_kind("مدينه"));
    }
}
