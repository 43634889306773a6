//! Understanding articles: section classification and entity tags. Placeholder until the
//! understanding issue lands: it leaves articles as they are.

use crate::model::Article;

/// The loaded models.
#[derive(Debug, Default)]
pub struct Understanding {}

impl Understanding {
    /// Loads the models that ship with sahifa.
    pub fn load_default() -> anyhow::Result<Understanding> {
        Ok(Understanding {})
    }

    /// Gives an article without a section one (with a confidence), and tags.
    pub fn annotate(&self, _article: &mut Article) {}
}
