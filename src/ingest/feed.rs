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
    // quick-xml, under feed-rs, panics on some malformed documents (an encoding declaration
    // after the document began, found by fuzzing): such a document is unreadable, never a
    // crash of the poller or the import.
    if let Some(at) = late_xml_declaration(bytes) {
        return Err(format!(
            "not a readable feed: a malformed or late XML declaration at byte {at}"
        ));
    }
    let parsed = std::panic::catch_unwind(|| feed_rs::parser::parse(bytes))
        .map_err(|_| "not a readable feed: the XML parser gave up on it".to_string())?;
    let feed = parsed.map_err(|e| format!("not a readable feed: {e}"))?;
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

/// Where an XML declaration (`<?xml …?>`) stands after the start of an XML document,
/// outside comments and CDATA sections (XML allows one, first; quick-xml panics on a later
/// one that names an encoding), or where the first one runs into markup before its `?>`.
fn late_xml_declaration(bytes: &[u8]) -> Option<usize> {
    let start = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).map_or(0, |_| 3);
    let body = &bytes[start..];
    let lead = body.iter().take_while(|b| b.is_ascii_whitespace()).count();
    if body.get(lead) == Some(&b'{') {
        return None; // JSON Feed
    }
    let mut i = if body[lead..].starts_with(b"<?xml") {
        // The declaration must end (`?>`) before any other markup: one that runs into a
        // later processing instruction made quick-xml panic too (found by fuzzing).
        let decl = &body[lead + 2..];
        match memchr::memmem::find(decl, b"?>") {
            Some(end) if !decl[..end].contains(&b'<') => lead + 2 + end + 2,
            _ => return Some(start + lead),
        }
    } else {
        lead
    };
    while let Some(lt) = memchr::memchr(b'<', &body[i..]) {
        let at = i + lt;
        let rest = &body[at..];
        let skip_to =
            |end: &[u8]| memchr::memmem::find(rest, end).map_or(body.len(), |e| at + e + end.len());
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(b"]]>");
        } else if rest.len() >= 6
            && rest[2..5].eq_ignore_ascii_case(b"xml")
            && rest[1] == b'?'
            && (rest[5].is_ascii_whitespace() || rest[5] == b'?')
        {
            return Some(start + at);
        } else {
            i = at + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_that_runs_into_markup_is_an_error_not_a_panic() {
        // The fuzzer's input: the first declaration has no `?>` of its own.
        let crash = b"<?xml [versio*=\"1.0\" encoding=\"windows-1255\"?F>\n<?`xml version=\"1.0\"?>\x01\0\0\0\0\0\0\0\n<rss v";
        let err = parse_feed(crash).err().unwrap_or_default();
        assert!(err.contains("XML declaration at byte 0"), "{err}");
        // A well-formed declaration still reads.
        let ok = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>";
        assert!(parse_feed(ok).is_ok());
    }

    #[test]
    fn a_second_xml_declaration_inside_a_feed_is_an_error_not_a_panic() {
        // Found by the `feed` fuzz target: quick-xml (under feed-rs) panics on an encoding
        // declaration after the start of the document.
        let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\
                   <item><guid>w1</guid><title>x</title><description>y\
                   <?xml version=\"1.0\" encoding='ISO-8859-6'?>\n<rss version=\"2.0\"><channel>\
                   </description></item></channel></rss>";
        let crash = include_bytes!("../../tests/fixtures/feed-second-xml-declaration.xml");
        for doc in [rss.as_bytes(), crash] {
            let err = parse_feed(doc).expect_err("not a feed");
            assert!(err.contains("XML declaration at byte"), "{err}");
        }
        // In a CDATA section or a comment it is text, and the feed reads.
        let ok = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                  <!-- <?xml version=\"1.0\"?> --><item><guid>a</guid><title>x</title>\
                  <description><![CDATA[<p>y <?xml version=\"1.0\"?></p>]]></description>\
                  </item></channel></rss>";
        assert_eq!(parse(ok.as_bytes()).expect("feed").len(), 1);
    }

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
