//! Feed files (RSS, Atom, JSON Feed) parsed with feed-rs into incoming articles.

use super::Incoming;
use super::html::fragment_text;

/// One feed entry: a record, or why it cannot be one.
pub type Entry = Result<Incoming, String>;

/// A parsed feed: its title, its RSS `ttl` (minutes) and its entries in order.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: Option<String>,
    pub ttl_minutes: Option<u32>,
    pub entries: Vec<Entry>,
}

/// Parses a feed document into one entry per feed item, in order.
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    parse_feed(bytes).map(|f| f.entries)
}

/// Parses a feed document with its title and `ttl`.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("not a readable feed: {e}"))?;
    let title = feed
        .title
        .map(|t| fragment_text(&t.content).trim().to_string())
        .filter(|t| !t.is_empty());
    let entries = feed
        .entries
        .into_iter()
        .map(|entry| {
            let title = entry
                .title
                .map(|t| fragment_text(&t.content))
                .unwrap_or_default();
            let body = entry
                .content
                .and_then(|c| c.body)
                .or(entry.summary.map(|s| s.content))
                .map(|b| fragment_text(&b))
                .unwrap_or_default();
            if body.trim().is_empty() {
                return Err("feed entry has no content or summary".to_string());
            }
            Ok(Incoming {
                id: Some(entry.id).filter(|id| !id.trim().is_empty()),
                title: Some(title.trim().to_string()),
                body,
                url: entry.links.first().map(|l| l.href.clone()),
                published: entry.published.or(entry.updated),
                ..Incoming::default()
            })
        })
        .collect();
    Ok(Feed {
        title,
        ttl_minutes: feed.ttl,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_entries_become_records() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>أخبار</title>
<item><guid>a1</guid><title>عنوان &amp; خبر</title><link>https://example.com/a1</link>
<description><![CDATA[<p>فقرة أولى</p><p>فقرة ثانية</p>]]></description>
<pubDate>Sun, 29 Nov 2026 08:00:00 GMT</pubDate></item>
<item><guid>a2</guid><title>بلا نص</title></item>
</channel></rss>"#;
        let items = parse(rss.as_bytes()).expect("feed");
        assert_eq!(items.len(), 2);
        let first = items[0].as_ref().expect("valid entry");
        assert_eq!(first.id.as_deref(), Some("a1"));
        assert_eq!(first.title.as_deref(), Some("عنوان & خبر"));
        assert!(first.body.contains("فقرة أولى") && first.body.contains("فقرة ثانية"));
        assert!(first.published.is_some());
        assert!(items[1].as_ref().is_err_and(|e| e.contains("no content")));
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(parse(b"not a feed").unwrap_err().contains("feed"));
    }
}
