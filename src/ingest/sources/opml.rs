//! OPML in and out. Nested outlines are categories (`أخبار/ليبيا`), kept as a path on each
//! source and written back as the same nesting; a folder named like a section (or a
//! `sahifa:section` attribute) gives its sources that section. sahifa's own settings
//! (name, interval, full content) travel as `sahifa:` attributes other readers ignore.

use std::time::Duration;

use quick_xml::events::{BytesDecl, BytesStart, Event};
use quick_xml::{Reader, Writer, XmlVersion};

use super::{DEFAULT_EVERY, SourceHealth, SourceSpec, format_every, parse_every};
use crate::model::Section;

/// The namespace of sahifa's own attributes.
const NS: &str = "https://sahifa.invalid/opml";

/// A feed outline read from an OPML file: the source, or why it cannot be one.
pub type Outline = Result<SourceSpec, String>;

/// Reads every feed outline (one with `xmlUrl`) of an OPML document, in order.
pub fn parse(text: &str) -> Result<Vec<Outline>, String> {
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<String> = Vec::new();
    // Whether each open <outline> pushed a folder name.
    let mut open: Vec<bool> = Vec::new();
    let mut out = Vec::new();
    let mut seen_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not a readable OPML file: {e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "opml" => {
                seen_opml = true;
            }
            Event::Start(e) if e.name().as_ref() == "outline" => {
                let attrs = attributes(&e)?;
                if attrs.contains_key("xmlUrl") {
                    out.push(feed(&attrs, &folders));
                    open.push(false);
                } else {
                    let name = attrs.get("text").or_else(|| attrs.get("title"));
                    folders.push(name.cloned().unwrap_or_default());
                    open.push(true);
                }
            }
            Event::Empty(e) if e.name().as_ref() == "outline" => {
                let attrs = attributes(&e)?;
                if attrs.contains_key("xmlUrl") {
                    out.push(feed(&attrs, &folders));
                }
            }
            Event::End(e) if e.name().as_ref() == "outline" && open.pop() == Some(true) => {
                folders.pop();
            }
            _ => {}
        }
    }
    if !seen_opml {
        return Err("not an OPML file: no <opml> element".into());
    }
    Ok(out)
}

/// An element's attributes by name (`sahifa:x` under its prefix as written).
fn attributes(e: &BytesStart<'_>) -> Result<std::collections::HashMap<String, String>, String> {
    let mut map = std::collections::HashMap::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad outline attribute: {err}"))?;
        let key = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("bad value of {key}: {err}"))?;
        map.insert(key, value.trim().to_string());
    }
    Ok(map)
}

/// One feed outline as a source.
fn feed(attrs: &std::collections::HashMap<String, String>, folders: &[String]) -> Outline {
    let url = attrs.get("xmlUrl").cloned().unwrap_or_default();
    let label = attrs
        .get("text")
        .or_else(|| attrs.get("title"))
        .cloned()
        .unwrap_or_default();
    let name = attrs
        .get("sahifa:name")
        .cloned()
        .unwrap_or_else(|| name_from(&label, &url));
    let folder_path: Vec<&str> = folders
        .iter()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
        .collect();
    // OPML 2.0 `category`: comma-separated, slash-delimited paths; the first one counts.
    let category = if folder_path.is_empty() {
        attrs
            .get("category")
            .and_then(|c| c.split(',').next())
            .map(|c| c.trim().trim_matches('/').to_string())
            .filter(|c| !c.is_empty())
    } else {
        Some(folder_path.join("/"))
    };
    let section = attrs.get("sahifa:section").cloned().or_else(|| {
        category
            .iter()
            .flat_map(|c| c.split('/'))
            .find_map(Section::parse)
            .map(|s| s.slug().to_string())
    });
    let every = match attrs.get("sahifa:every") {
        Some(e) => parse_every(e).map_err(|err| err.to_string())?,
        None => DEFAULT_EVERY,
    };
    let full = attrs.get("sahifa:fullContent").is_some_and(|v| v == "true");
    let mut spec = SourceSpec::parse(&name, &url, every, section.as_deref(), full)
        .map_err(|e| format!("outline {label:?}: {e}"))?;
    spec.category = category;
    Ok(spec)
}

/// A source name from an outline's label (or the URL's host when the label has none).
fn name_from(label: &str, url: &str) -> String {
    let from = |s: &str| -> String {
        let mut out = String::new();
        for c in s.trim().chars() {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').chars().take(100).collect()
    };
    let name = from(label);
    if !name.is_empty() {
        return name;
    }
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(from))
        .unwrap_or_default()
}

/// Writes sources as OPML 2.0, nested by category; the section rides on `sahifa:section`.
pub fn export(sources: &[SourceHealth]) -> Result<String, String> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let io = |e: std::io::Error| e.to_string();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io)?;
    w.create_element("opml")
        .with_attributes([("version", "2.0"), ("xmlns:sahifa", NS)])
        .write_inner_content(|w| {
            w.create_element("head").write_inner_content(|w| {
                w.create_element("title")
                    .write_text_content(quick_xml::events::BytesText::new("sahifa sources"))?;
                Ok(())
            })?;
            w.create_element("body").write_inner_content(|w| {
                let mut sorted: Vec<&SourceHealth> = sources.iter().collect();
                sorted.sort_by_key(|s| (path_of(s), s.name.clone()));
                write_level(w, &sorted, 0)
            })?;
            Ok(())
        })
        .map_err(io)?;
    String::from_utf8(w.into_inner()).map_err(|e| e.to_string())
}

fn path_of(s: &SourceHealth) -> Vec<String> {
    s.category
        .clone()
        .map(|c| {
            c.split('/')
                .map(String::from)
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Writes the sources whose path is longer than `depth` under folders, the rest as feeds.
fn write_level(
    w: &mut Writer<Vec<u8>>,
    sources: &[&SourceHealth],
    depth: usize,
) -> std::io::Result<()> {
    let mut i = 0;
    while i < sources.len() {
        let path = path_of(sources[i]);
        if path.len() <= depth {
            write_feed(w, sources[i])?;
            i += 1;
            continue;
        }
        let folder = path[depth].clone();
        let end = sources[i..]
            .iter()
            .position(|s| path_of(s).get(depth) != Some(&folder))
            .map_or(sources.len(), |n| i + n);
        w.create_element("outline")
            .with_attributes([("text", folder.as_str()), ("title", folder.as_str())])
            .write_inner_content(|w| write_level(w, &sources[i..end], depth + 1))?;
        i = end;
    }
    Ok(())
}

fn write_feed(w: &mut Writer<Vec<u8>>, s: &SourceHealth) -> std::io::Result<()> {
    let label = s.title.clone().unwrap_or_else(|| s.name.clone());
    let every = format_every(parse_every(&s.every).unwrap_or(Duration::from_secs(1800)));
    let category = s.category.as_ref().map(|c| format!("/{c}"));
    let mut attrs: Vec<(&str, &str)> = vec![
        ("type", "rss"),
        ("text", label.as_str()),
        ("title", label.as_str()),
        ("xmlUrl", s.url.as_str()),
        ("sahifa:name", s.name.as_str()),
        ("sahifa:every", every.as_str()),
    ];
    if let Some(c) = &category {
        attrs.push(("category", c));
    }
    if let Some(sec) = &s.section {
        attrs.push(("sahifa:section", sec));
    }
    if s.full_content {
        attrs.push(("sahifa:fullContent", "true"));
    }
    w.create_element("outline")
        .with_attributes(attrs)
        .write_empty()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="أخبار">
    <outline text="ليبيا">
      <outline type="rss" text="بوابة الوسط" xmlUrl="https://alwasat.ly/feed?a=1&amp;b=2"/>
    </outline>
    <outline text="sport"><outline type="rss" text="Kooora" xmlUrl="https://kooora.com/rss"/></outline>
  </outline>
  <outline type="rss" text="Top" category="/tech/ai,/other" xmlUrl="https://top.example/feed"/>
  <outline type="rss" text="broken" xmlUrl="javascript:alert(1)"/>
</body></opml>"#;

    #[test]
    fn nested_outlines_are_categories_and_sections() {
        let got = parse(SAMPLE).expect("opml");
        assert_eq!(got.len(), 4);
        let wasat = got[0].as_ref().expect("valid");
        assert_eq!(wasat.name, "بوابة-الوسط");
        assert_eq!(wasat.url, "https://alwasat.ly/feed?a=1&b=2");
        assert_eq!(wasat.category.as_deref(), Some("أخبار/ليبيا"));
        assert_eq!(wasat.section, None);
        let kooora = got[1].as_ref().expect("valid");
        assert_eq!(kooora.section, Some(Section::Sport));
        assert_eq!(kooora.category.as_deref(), Some("أخبار/sport"));
        let top = got[2].as_ref().expect("valid");
        assert_eq!(top.category.as_deref(), Some("tech/ai"));
        assert!(got[3].as_ref().is_err_and(|e| e.contains("broken")));
        assert!(parse("<html/>").is_err());
        assert!(parse("<opml><body><outline").is_err());
    }
}
