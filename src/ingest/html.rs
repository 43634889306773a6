//! HTML in: whole pages through main-content extraction (dom_smoothie, formatted text), and
//! HTML fragments (feed entries) through a small tolerant converter to paragraphs. Only text
//! is kept, so no markup from outside ever reaches a page.

use dom_smoothie::{Config, Readability, TextMode};

use super::Incoming;
use super::jsonl::parse_time;

/// Block-level elements: each starts a new paragraph.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "figure",
    "figcaption",
    "hr",
    "header",
    "footer",
    "pre",
    "dd",
];

/// Extracts the main article of a whole HTML page.
pub fn extract_page(html: &str, url: Option<&str>) -> Result<Incoming, String> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut reader = Readability::new(html, url, Some(cfg))
        .map_err(|e| format!("cannot read the HTML page: {e}"))?;
    let article = reader
        .parse()
        .map_err(|e| format!("no article found in the HTML page: {e}"))?;
    let body = article.text_content.to_string();
    if body.trim().is_empty() {
        return Err("no article text found in the HTML page".into());
    }
    let title = strip_site_name(&article.title);
    let subtitle = article.excerpt.map(|e| e.trim().to_string()).filter(|e| {
        !e.is_empty() && e.chars().count() <= 300 && !body.trim_start().starts_with(e.as_str())
    });
    Ok(Incoming {
        title: Some(title),
        subtitle,
        body,
        url: url.map(String::from).or(article.url),
        published: article.published_time.as_deref().and_then(parse_time),
        ..Incoming::default()
    })
}

/// The main text of an entry's web page (for `--full-content` sources): dom_smoothie finds
/// the article, ammonia sanitizes its HTML, and only text paragraphs are kept.
pub fn main_text(html: &str, url: Option<&str>) -> Result<String, String> {
    let mut reader =
        Readability::new(html, url, None).map_err(|e| format!("cannot read the HTML page: {e}"))?;
    let article = reader
        .parse()
        .map_err(|e| format!("no article found in the HTML page: {e}"))?;
    let clean = ammonia::clean(&article.content);
    let text = fragment_text(&clean);
    if text.trim().is_empty() {
        return Err("no article text found in the HTML page".into());
    }
    Ok(text)
}

/// "Headline - Site" / "Headline | Site" → "Headline" when the tail is short.
fn strip_site_name(title: &str) -> String {
    for sep in [" | ", " - ", " – ", " — "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.split_whitespace().count() <= 4
            && head.split_whitespace().count() >= 2
        {
            return head.trim().to_string();
        }
    }
    title.trim().to_string()
}

/// Converts an HTML fragment to text with one paragraph per line. Scripts and styles are
/// dropped, entities decoded; malformed markup is tolerated.
pub fn fragment_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            if skip_until.is_none() {
                out.push_str(&decode_entities(&rest[lt..]));
            }
            rest = "";
            break;
        };
        let tag = after[..gt].trim();
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[gt + 1..];
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" | "style" | "noscript" | "template" if !closing && !tag.ends_with('/') => {
                skip_until = Some(match name.as_str() {
                    "script" => "script",
                    "style" => "style",
                    "noscript" => "noscript",
                    _ => "template",
                });
            }
            n if BLOCKS.contains(&n) => out.push('\n'),
            _ => {}
        }
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    out
}

/// Decodes the common named entities and numeric references.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{00A0}'),
                "laquo" => Some('«'),
                "raquo" => Some('»'),
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "zwnj" => Some('\u{200C}'),
                "rlm" => Some('\u{200F}'),
                "lrm" => Some('\u{200E}'),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fragments_become_paragraphs() {
        let t = fragment_text(
            "<p>أولى &amp; <b>ثانية</b></p><script>alert(1)</script><p>ثالثة&#1575;</p>x<br/>y",
        );
        let paras: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(paras, vec!["أولى & ثانية", "ثالثةا", "x", "y"]);
    }

    #[test]
    fn extracts_the_main_text_of_a_page() {
        let body = "<p>نصح المشير خليفة حفتر الجهات التي تدعم الجماعات الإرهابية بإرسال السلاح مباشرة إلى الجيش الليبي، لأنه في نهاية المطاف سيقع في أيديهم عاجلا أم آجلا.</p>".repeat(4);
        let html = format!(
            "<html lang=\"ar\" dir=\"rtl\"><head><title>معارك في بنغازي | الموقع</title></head><body>\
             <nav><a href=\"/\">الرئيسية</a> <a href=\"/x\">اشترك</a></nav>\
             <article><h1>معارك في بنغازي</h1>{body}</article><footer>حقوق النشر محفوظة</footer></body></html>"
        );
        let inc = extract_page(&html, Some("https://example.com/a")).expect("article");
        assert_eq!(inc.title.as_deref(), Some("معارك في بنغازي"));
        assert!(inc.body.contains("نصح المشير خليفة حفتر"));
        assert!(!inc.body.contains("الرئيسية"));
    }

    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// Lines of a text, trimmed, blank ones left out.
    fn lines(t: &str) -> Vec<&str> {
        t.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
    }

    proptest::proptest! {
        #[test]
        fn fragment_never_panics(s in "[<>/&;#a-z0-9 \\p{Arabic}]{0,200}") {
            let _ = fragment_text(&s);
        }

        #[test]
        fn paragraphs_come_out_one_a_line_without_scripts_or_markup(
            paras in proptest::collection::vec("[\\p{Arabic}a-z0-9 &<>\"';#]{1,40}", 0..6),
            script in "[a-z0-9 ();=.'\"]{0,30}",
        ) {
            let mut html = String::new();
            for (i, p) in paras.iter().enumerate() {
                html.push_str(&format!("<p class=\"x\">{}</p>", escape(p)));
                if i % 2 == 0 {
                    html.push_str(&format!("<script type=\"text/javascript\">SCRIPT{script}</script><br/>"));
                }
            }
            let text = fragment_text(&html);
            let want: Vec<&str> = paras.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
            prop_assert_eq!(lines(&text), want, "{}", html);
            prop_assert!(!text.contains("SCRIPT"));
        }

        #[test]
        fn entities_decode_what_escaping_encoded(s in "\\PC{0,100}") {
            prop_assert_eq!(decode_entities(&escape(&s)), s.clone());
            let numeric: String = s.chars().map(|c| format!("&#{};", u32::from(c))).collect();
            prop_assert_eq!(decode_entities(&numeric), s);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        #[test]
        fn the_article_of_a_page_is_found_without_its_furniture(
            title in proptest::collection::vec("[بتثجحخدذرزسشصضطظعغفقكلمنهوي]{2,6}", 3..7),
            paras in proptest::collection::vec(
                proptest::collection::vec("[بتثجحخدذرزسشصضطظعغفقكلمنهوي]{2,7}", 30..45), 3..6),
        ) {
            let title = title.join(" ");
            let paras: Vec<String> = paras.iter().map(|p| format!("{}.", p.join(" "))).collect();
            let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
            let html = format!(
                "<html lang=\"ar\"><head><title>{title} | الموقع</title></head><body>\
                 <nav><a href=\"/\">الرئيسية</a></nav><article><h1>{title}</h1>{body}</article>\
                 <script>document.write('SCRIPT')</script><footer>حقوق النشر محفوظة</footer></body></html>"
            );
            let a = extract_page(&html, Some("https://example.com/a"));
            let a = a.map_err(proptest::test_runner::TestCaseError::fail)?;
            prop_assert_eq!(a.title.as_deref(), Some(title.as_str()));
            prop_assert_eq!(lines(&a.body), paras.iter().map(String::as_str).collect::<Vec<_>>());
            prop_assert!(!a.body.contains("SCRIPT") && !a.body.contains("الرئيسية"));
        }
    }
}
