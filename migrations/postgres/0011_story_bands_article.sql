-- An article's bands are found by the article: when it changes (it is grouped again) and
-- when it is deleted (ON DELETE CASCADE), without a scan of every band.
CREATE INDEX story_bands_article ON story_bands (article_pk);
