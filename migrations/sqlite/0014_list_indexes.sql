-- The newest published articles, of all, of a section and of a source: with
-- articles_status_updated (0013) the planner served `WHERE status = 'published' ORDER BY
-- sort_time DESC, pk DESC LIMIT 20` from that index and sorted every published row (0.4 s
-- on 67k articles under SQLite, with the bodies); these give each list its order directly.
CREATE INDEX articles_status_sort ON articles (status, sort_time DESC, pk DESC);
CREATE INDEX articles_section_status_sort ON articles (section, status, sort_time DESC, pk DESC);
CREATE INDEX articles_source_status_sort ON articles (source, status, sort_time DESC, pk DESC);
