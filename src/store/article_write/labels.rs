//! The labels half of an [`ArticleWrite`]: the rule that an editor's label wins over
//! automated ones, the editor's own labels, and the model's relabelling.

use chrono::Utc;

use super::{ArticleWrite, Stored, lookup};
use crate::model::{Article, LabelOrigin, Section, Tag};
use crate::store::{tags, to_millis};

/// The editor's rule, applied to labels about to be written over `stored`: a section a
/// person set is kept (and `fresh` is given it); returns whether the stored tags must be
/// kept because a person set them.
pub(super) fn editor_wins(stored: Option<&Stored>, fresh: &mut Article) -> bool {
    let Some(s) = stored else { return false };
    if s.section_origin == LabelOrigin::Person {
        fresh.section = s.section;
        fresh.section_confidence = s.section_confidence;
        fresh.section_origin = LabelOrigin::Person;
    }
    s.editor_tags
}

impl ArticleWrite {
    /// Sets the section and tags an editor chose; both are marked as set by a person.
    /// Returns false when the article does not exist.
    pub async fn set_labels_by_person(
        &mut self,
        source: &str,
        id: &str,
        section: Option<Section>,
        tags: &[Tag],
    ) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "UPDATE articles SET section = $1, section_confidence = NULLIF($2, -1.0), section_origin = $3, \
             updated = $4 WHERE source = $5 AND ext_id = $6",
        )
        .bind(section.map(Section::slug))
        .bind(confidence_param(section.map(|_| 1.0)))
        .bind(LabelOrigin::Person.as_str())
        .bind(to_millis(Utc::now()))
        .bind(source)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        let Some(pk) = self.pk(source, id).await? else {
            return Ok(false);
        };
        let tags: Vec<Tag> = tags
            .iter()
            .cloned()
            .map(|mut t| {
                t.origin = LabelOrigin::Person;
                t
            })
            .collect();
        tags::set_tags(&mut self.tx, &[(pk, &tags)]).await?;
        self.changed(source, id, "labels");
        Ok(true)
    }

    /// Stores the model's labels (section with its confidence and origin, and tags) for
    /// articles by primary key, under the editor's rule, and gives existing tags the kind the
    /// model now finds.
    pub async fn set_model_labels(&mut self, items: &[(i64, &Article)]) -> anyhow::Result<()> {
        let keys: Vec<(&str, &str)> = items
            .iter()
            .map(|(_, a)| (a.source.as_str(), a.id.as_str()))
            .collect();
        let known = lookup(&mut self.tx, &keys).await?;
        let mut tagged: Vec<(i64, &[Tag])> = Vec::with_capacity(items.len());
        for (pk, a) in items {
            let stored = known.get(&(a.source.clone(), a.id.clone()));
            let mut fresh = (*a).clone();
            let keep_tags = editor_wins(stored, &mut fresh);
            sqlx::query(
                "UPDATE articles SET section = $1, section_confidence = NULLIF($2, -1.0), \
                 section_origin = $3 WHERE pk = $4",
            )
            .bind(fresh.section.map(Section::slug))
            .bind(confidence_param(fresh.section_confidence))
            .bind(fresh.section_origin.as_str())
            .bind(pk)
            .execute(&mut *self.tx)
            .await?;
            if !keep_tags {
                tagged.push((*pk, a.tags.as_slice()));
            }
            self.changed(&a.source, &a.id, "labels");
        }
        tags::set_tags(&mut self.tx, &tagged).await?;
        tags::set_model_kinds(&mut self.tx, items.iter().flat_map(|(_, a)| &a.tags)).await?;
        Ok(())
    }
}

/// A section confidence as a bind parameter that is never NULL: sqlx 0.9's `Any` driver binds
/// a NULL `f64` as `float4` on PostgreSQL, and the cached statement then refuses every later
/// real `f64` ("incorrect binary data format"); so no confidence is -1, turned back into NULL
/// by `NULLIF(…, -1.0)` in the statement (confidences lie in 0..=1).
pub(super) fn confidence_param(c: Option<f32>) -> f64 {
    c.map_or(-1.0, f64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(origin: LabelOrigin, editor_tags: bool) -> Stored {
        Stored {
            pk: 1,
            content_hash: String::new(),
            published: true,
            section: Some(Section::Economy),
            section_confidence: Some(1.0),
            section_origin: origin,
            editor_tags,
        }
    }

    #[test]
    fn an_editors_section_and_tags_win_over_automated_labels() {
        let mut fresh = Article::new("s", "1", "عنوان", vec!["نص".into()]);
        fresh.section = Some(Section::Sport);
        fresh.section_origin = LabelOrigin::Model;
        assert!(editor_wins(
            Some(&stored(LabelOrigin::Person, true)),
            &mut fresh
        ));
        assert_eq!(
            (fresh.section, fresh.section_origin),
            (Some(Section::Economy), LabelOrigin::Person)
        );
        let mut fresh = Article::new("s", "1", "عنوان", vec!["نص".into()]);
        fresh.section = Some(Section::Sport);
        assert!(!editor_wins(
            Some(&stored(LabelOrigin::Model, false)),
            &mut fresh
        ));
        assert_eq!(fresh.section, Some(Section::Sport));
        assert!(!editor_wins(None, &mut fresh));
    }
}
