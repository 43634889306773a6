//! The article model: what every entry point produces and every reader sees.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The six sections of the newsroom. The slug is the `category` value of JSON Lines records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Section {
    #[serde(rename = "culture")]
    Culture,
    #[serde(rename = "economy")]
    Economy,
    #[serde(rename = "internationalNews")]
    InternationalNews,
    #[serde(rename = "middleEast")]
    MiddleEast,
    #[serde(rename = "sport")]
    Sport,
    #[serde(rename = "technology")]
    Technology,
}

impl Section {
    /// Every section, in the order the home page shows them.
    pub const ALL: [Section; 6] = [
        Section::MiddleEast,
        Section::InternationalNews,
        Section::Economy,
        Section::Sport,
        Section::Technology,
        Section::Culture,
    ];

    /// The stable slug used in URLs, JSON and the database.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Culture => "culture",
            Section::Economy => "economy",
            Section::InternationalNews => "internationalNews",
            Section::MiddleEast => "middleEast",
            Section::Sport => "sport",
            Section::Technology => "technology",
        }
    }

    /// The section's Arabic name as shown to readers.
    pub fn name_ar(self) -> &'static str {
        match self {
            Section::Culture => "ثقافة",
            Section::Economy => "اقتصاد",
            Section::InternationalNews => "العالم",
            Section::MiddleEast => "الشرق الأوسط",
            Section::Sport => "رياضة",
            Section::Technology => "تكنولوجيا",
        }
    }

    /// The section's English name (second locale).
    pub fn name_en(self) -> &'static str {
        match self {
            Section::Culture => "Culture",
            Section::Economy => "Economy",
            Section::InternationalNews => "World",
            Section::MiddleEast => "Middle East",
            Section::Sport => "Sport",
            Section::Technology => "Technology",
        }
    }

    /// Parses a slug, case-insensitively, also accepting the Arabic name.
    pub fn parse(s: &str) -> Option<Section> {
        let t = s.trim();
        Section::ALL
            .into_iter()
            .find(|sec| sec.slug().eq_ignore_ascii_case(t) || sec.name_ar() == t)
    }
}

/// Where a label (section or tag) came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LabelOrigin {
    /// Given by the source (e.g. the `category` of a JSON Lines record).
    #[default]
    Source,
    /// Predicted by the classifier or the tagger.
    Model,
    /// Set by an editor.
    Person,
}

impl LabelOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelOrigin::Source => "source",
            LabelOrigin::Model => "model",
            LabelOrigin::Person => "person",
        }
    }
    pub fn parse(s: &str) -> LabelOrigin {
        match s {
            "model" => LabelOrigin::Model,
            "person" => LabelOrigin::Person,
            _ => LabelOrigin::Source,
        }
    }
}

/// The one slug of a tag named `name`, whoever names it (an editor at the desk, the tagger):
/// its normalised words, lower-cased, joined by single spaces, so an editor's «سعد الحريري»
/// and the model's are one tag.
pub fn tag_slug(name: &str) -> String {
    crate::arabic::normalize(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A tag: a person, place, organisation or topic an article is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Normalised key (stable across spelling variants), used in URLs.
    pub slug: String,
    /// Display form.
    pub name: String,
    /// `person`, `place`, `organisation` or `topic`.
    pub kind: String,
    pub origin: LabelOrigin,
    pub score: f32,
}

/// An article as stored: the identity is (`source`, `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub source: String,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// Body paragraphs, in order, none empty.
    pub body: Vec<String>,
    pub section: Option<Section>,
    pub section_confidence: Option<f32>,
    pub section_origin: LabelOrigin,
    pub tags: Vec<Tag>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub imported: DateTime<Utc>,
    /// BCP 47 language tag, `ar` unless the text says otherwise.
    pub language: String,
    /// Hex SHA-256 over the reader-visible content; unchanged hash = unchanged article.
    pub content_hash: String,
}

impl Article {
    /// A bare article: headline and body only, imported now, nothing labelled yet, no
    /// content hash (for indexes, evaluations and tests that need no more).
    pub fn new(source: &str, id: &str, title: &str, body: Vec<String>) -> Article {
        Article {
            source: source.to_string(),
            id: id.to_string(),
            title: title.to_string(),
            subtitle: None,
            body,
            section: None,
            section_confidence: None,
            section_origin: LabelOrigin::Source,
            tags: Vec::new(),
            url: None,
            published: None,
            imported: Utc::now(),
            language: "ar".into(),
            content_hash: String::new(),
        }
    }

    /// The time the article is sorted by: published when known, else imported.
    pub fn sort_time(&self) -> DateTime<Utc> {
        self.published.unwrap_or(self.imported)
    }

    /// Computes the content hash over the fields a reader sees and the source-given section.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.title.as_str(),
            self.subtitle.as_deref().unwrap_or(""),
            self.url.as_deref().unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        for p in &self.body {
            h.update(p.as_bytes());
            h.update([1u8]);
        }
        if self.section_origin == LabelOrigin::Source {
            h.update(self.section.map(Section::slug).unwrap_or("").as_bytes());
        }
        h.update([0u8]);
        if let Some(p) = self.published {
            h.update(p.timestamp().to_le_bytes());
        }
        hex::encode(h.finalize())
    }

    /// The whole text, paragraphs separated by blank lines.
    pub fn body_text(&self) -> String {
        self.body.join("\n\n")
    }
}

/// A stable id derived from content, for records that arrive without one.
pub fn derive_id(title: &str, body: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(title.as_bytes());
    h.update([0u8]);
    for p in body {
        h.update(p.as_bytes());
        h.update([1u8]);
    }
    let digest = hex::encode(h.finalize());
    format!("h-{}", &digest[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_slugs_round_trip() {
        for s in Section::ALL {
            assert_eq!(Section::parse(s.slug()), Some(s));
            assert_eq!(Section::parse(s.name_ar()), Some(s));
        }
        assert_eq!(Section::parse("politics"), None);
    }

    #[test]
    fn derived_id_is_stable_and_content_sensitive() {
        let a = derive_id("عنوان", &["فقرة".into()]);
        assert_eq!(a, derive_id("عنوان", &["فقرة".into()]));
        assert_ne!(a, derive_id("عنوان", &["فقرة أخرى".into()]));
        assert!(a.starts_with("h-"));
    }
}
