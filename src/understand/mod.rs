//! Understanding articles: the section classifier (with a confidence, below a threshold an
//! article stays unclassified) and tags for the people, places, organisations and topics an
//! article is about. The model ships inside the binary (`models/sections.bin`).

pub mod classify;
pub mod commands;
pub mod corpus;
pub mod features;
pub mod gazetteer;
pub mod metrics;
pub mod model_file;
pub mod people;
pub mod tags;

use std::path::Path;

use anyhow::Context;

use crate::model::{Article, LabelOrigin, Section, Tag};

use classify::{Classifier, Prediction};
use corpus::CorpusStats;
use features::Text;
use tags::Tagger;

/// The model that ships with sahifa.
const SHIPPED_MODEL: &[u8] = include_bytes!("../../models/sections.bin");

/// A section is given only when the classifier's probability reaches this: above one half
/// the chosen section is more likely than all others together.
pub const THRESHOLD: f32 = 0.5;

/// The loaded models.
#[derive(Debug)]
pub struct Understanding {
    classifier: Classifier,
    tagger: Tagger,
}

impl Understanding {
    /// Loads the models that ship with sahifa.
    pub fn load_default() -> anyhow::Result<Understanding> {
        Understanding::from_bytes(SHIPPED_MODEL).context("loading the shipped section model")
    }

    /// Loads a model file written by `sahifa train sections`.
    pub fn load(path: &Path) -> anyhow::Result<Understanding> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading model {}", path.display()))?;
        Understanding::from_bytes(&bytes).with_context(|| format!("model {}", path.display()))
    }

    /// Parses model bytes.
    pub fn from_bytes(bytes: &[u8]) -> anyhow::Result<Understanding> {
        let data = model_file::read(bytes)?;
        Ok(Understanding::from_parts(data.classifier, data.corpus))
    }

    /// Builds from a trained classifier and corpus statistics.
    pub fn from_parts(classifier: Classifier, corpus: CorpusStats) -> Understanding {
        Understanding {
            classifier,
            tagger: Tagger::new(corpus),
        }
    }

    /// The models with the words of `boilerplate` (shipped phrases and the configured
    /// `boilerplate_file`) kept out of tags.
    pub fn with_boilerplate(
        mut self,
        boilerplate: &crate::ingest::boilerplate::Boilerplate,
    ) -> Understanding {
        self.tagger = self.tagger.with_boilerplate(boilerplate);
        self
    }

    /// The classifier's view of an article (headline, subtitle and body only).
    pub fn predict(&self, article: &Article) -> Prediction {
        let (title, body) = features::article_text(article);
        self.classifier.predict(Text {
            title: &title,
            body: &body,
        })
    }

    /// The section to show and its confidence: None when below the threshold.
    pub fn section_of(&self, article: &Article) -> (Option<Section>, f32) {
        let p = self.predict(article);
        let section = p.section.filter(|_| p.confidence >= THRESHOLD);
        (section, p.confidence)
    }

    /// Tags of an article, best first (at most [`tags::MAX_TAGS`]).
    pub fn tags(&self, article: &Article) -> Vec<Tag> {
        self.tagger.tags(article)
    }

    /// Gives an article without a section one (with a confidence) when the model is sure
    /// enough, and tags unless an editor has set them. Labels from a person are never
    /// replaced.
    pub fn annotate(&self, article: &mut Article) {
        if article.section.is_none() && article.section_origin != LabelOrigin::Person {
            let (section, confidence) = self.section_of(article);
            if let Some(s) = section {
                article.section = Some(s);
                article.section_confidence = Some(confidence);
                article.section_origin = LabelOrigin::Model;
            }
        }
        if !article.tags.iter().any(|t| t.origin == LabelOrigin::Person) {
            article.tags = self.tags(article);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static SHIPPED: LazyLock<Option<Understanding>> =
        LazyLock::new(|| Understanding::load_default().ok());

    fn shipped() -> &'static Understanding {
        SHIPPED.as_ref().expect("the shipped model loads")
    }

    fn article(title: &str, body: &str) -> Article {
        let inc = crate::ingest::Incoming {
            title: Some(title.into()),
            body: body.into(),
            ..Default::default()
        };
        crate::ingest::prepare(inc, "t", &Default::default()).expect("valid article")
    }

    const SPORT: &str = "فاز فريق الهلال على النصر بهدفين مقابل هدف في مباراة الدوري السعودي \
        للمحترفين، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة أمام جماهير الملعب.";

    #[test]
    fn person_labels_are_never_replaced() {
        let u = shipped();
        let mut a = article("الهلال يفوز على النصر", SPORT);
        a.section = None;
        a.section_origin = LabelOrigin::Person;
        let mine = Tag {
            slug: "x".into(),
            name: "x".into(),
            kind: "topic".into(),
            origin: LabelOrigin::Person,
            score: 1.0,
        };
        a.tags = vec![mine.clone()];
        u.annotate(&mut a);
        assert_eq!(a.section, None, "an editor's 'no section' stays");
        assert_eq!(a.tags, vec![mine]);

        let mut b = article("الهلال يفوز على النصر", SPORT);
        b.section = None;
        u.annotate(&mut b);
        assert_eq!(b.section, Some(Section::Sport));
        assert_eq!(b.section_origin, LabelOrigin::Model);
        assert!(b.tags.iter().all(|t| t.origin == LabelOrigin::Model));

        let mut c = article("الهلال يفوز على النصر", SPORT);
        c.section = Some(Section::Culture);
        u.annotate(&mut c);
        assert_eq!(c.section, Some(Section::Culture), "a given section is kept");
    }

    #[test]
    fn huge_and_foreign_bodies_are_unclassified_or_bounded() {
        let u = shipped();
        let mut a = article(
            "Breaking news",
            "Only English words are in this story, nothing else.",
        );
        u.annotate(&mut a);
        assert_eq!(a.section, None);
        let big = "ا".repeat(5 * 1024 * 1024);
        let mut b = article("نص", &big);
        u.annotate(&mut b);
        assert!(b.tags.len() <= tags::MAX_TAGS);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn annotate_never_panics(title in "\\PC{0,40}", body in "\\PC{0,400}") {
            let mut a = Article::new("p", "p", &title, vec![body]);
            shipped().annotate(&mut a);
            proptest::prop_assert!(a.tags.len() <= tags::MAX_TAGS);
            if let Some(c) = a.section_confidence {
                proptest::prop_assert!((THRESHOLD..=1.0).contains(&c));
            }
        }

        #[test]
        fn arabic_word_soup_never_panics(words in proptest::collection::vec("[ءاأإآبتثجحخدذرزسشصضطظعغفقكلمنهوىيةـ«»،. ]{1,12}", 0..200)) {
            let body = words.join(" ");
            let mut a = article("عنوان الخبر", if body.trim().is_empty() { "نص" } else { &body });
            shipped().annotate(&mut a);
            for t in &a.tags {
                proptest::prop_assert!(!t.slug.is_empty());
            }
        }
    }
}
