//! Word shapes the finders test: plurals and abstract nouns, common nouns after names,
//! imperfect verbs, and the one form of a topic's slug.

use super::words::without_article;

/// A first word that is a plural or an abstract noun (قيادات, صلاحية) is not a first name.
pub(super) fn plural_or_abstract(key: &str) -> bool {
    key.ends_with("ات") || (key.ends_with("يه") && key.chars().count() >= 5)
}

/// Words that follow a name without being part of it: with the article, feminine or plural
/// nouns (الوساطة, التصريحات, الحوثيين; family names with the article are nisbas or nouns
/// such as الحريري, الأسد); without it, participle plurals (مدرجين, مسلحون: مـ and a
/// consonant, where ماكرون has a long vowel).
pub(super) fn common_noun_after_name(key: &str) -> bool {
    if let Some(rest) = key.strip_prefix("ال") {
        return ["ه", "ات", "يين", "ون"].iter().any(|e| rest.ends_with(e));
    }
    let mut chars = key.chars();
    chars.next() == Some('م')
        && chars.next().is_some_and(|c| !matches!(c, 'ا' | 'و' | 'ي'))
        && key.chars().count() >= 5
        && (key.ends_with("ين") || key.ends_with("ون"))
}

/// A topic's slug: without the article on any word, and a plural or feminine nisba folded
/// to the masculine singular (الحوثيين, الحوثيون, الحوثية → حوثي), so the forms a desk
/// writes for one group are one tag. `known` says whether a masculine form is a word at all
/// (تنبيه is not a feminine of تنبي).
pub(super) fn topic_slug(keys: &[String], known: impl Fn(&str) -> bool) -> String {
    let folded: Vec<String> = keys
        .iter()
        .map(|k| {
            let k = without_article(k);
            for plural in ["يين", "يون", "يه"] {
                if let Some(stem) = k.strip_suffix(plural)
                    && stem.chars().count() >= 3
                {
                    let masculine = format!("{stem}ي");
                    if plural != "يه" || known(&masculine) {
                        return masculine;
                    }
                }
            }
            k.to_string()
        })
        .collect();
    folded.join(" ")
}

/// Imperfect-tense verbs (يكشف، تكشف، ستناصر) make poor parts of topic phrases.
pub(super) fn looks_like_verb(key: &str) -> bool {
    let k = key.strip_prefix('س').unwrap_or(key);
    k.chars().count() >= 4 && k.starts_with(['ي', 'ت'])
}
