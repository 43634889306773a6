//! Rendering an edition for one recipient: responsive right-to-left HTML (an askama MJML
//! template, escaped, turned into table-based HTML by mrml, which the big mail clients
//! render), a plain-text part and a preheader.

use anyhow::Context;
use askama::Template;
use chrono::{DateTime, Utc};

use super::Item;

/// The fixed words of a newsletter mail in one locale.
#[derive(Debug, Clone, Copy)]
pub struct MailTexts {
    pub lang: &'static str,
    pub dir: &'static str,
    pub align: &'static str,
    pub why: &'static str,
    pub unsubscribe: &'static str,
    pub manage: &'static str,
    pub archive: &'static str,
}

/// Arabic, the default.
pub const AR: MailTexts = MailTexts {
    lang: "ar",
    dir: "rtl",
    align: "right",
    why: "تصلك هذه الرسالة لأنك مشترك في نشرة",
    unsubscribe: "إلغاء الاشتراك",
    manage: "إدارة نشراتي",
    archive: "أرشيف النشرة",
};

/// One article as the mail shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    pub title: String,
    pub subtitle: Option<String>,
    pub reason: Option<String>,
    pub url: String,
}

/// Everything one recipient's mail shows.
#[derive(Debug, Clone)]
pub struct MailView {
    pub name: String,
    pub subject: String,
    pub preheader: String,
    pub dateline: String,
    pub intro: String,
    pub items: Vec<ItemView>,
    pub archive_url: String,
    pub unsubscribe_url: String,
    pub manage_url: String,
}

impl MailView {
    /// Item views with absolute links on `base_url`.
    pub fn items_from(base_url: &str, items: &[Item]) -> Vec<ItemView> {
        let base = base_url.trim_end_matches('/');
        items
            .iter()
            .map(|i| ItemView {
                title: i.title.clone(),
                subtitle: i.subtitle.clone().filter(|s| !s.trim().is_empty()),
                reason: i.reason.clone(),
                url: format!(
                    "{base}{}",
                    crate::web::pages::article_href(&i.source, &i.id)
                ),
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "newsletter/mail.mjml", escape = "html")]
struct MjmlPart<'a> {
    t: MailTexts,
    name: &'a str,
    subject: &'a str,
    preheader: &'a str,
    dateline: &'a str,
    intro: &'a str,
    items: &'a [ItemView],
    archive_url: &'a str,
    unsubscribe_url: &'a str,
    manage_url: &'a str,
}

#[derive(Template)]
#[template(path = "newsletter/mail.txt", escape = "none")]
struct TextPart<'a> {
    t: MailTexts,
    name: &'a str,
    dateline: &'a str,
    intro: &'a str,
    items: &'a [ItemView],
    archive_url: &'a str,
    unsubscribe_url: &'a str,
    manage_url: &'a str,
}

/// The two parts of one mail.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

/// Renders the HTML and text parts.
pub fn render(v: &MailView) -> anyhow::Result<Rendered> {
    let mjml = MjmlPart {
        t: AR,
        name: &v.name,
        subject: &v.subject,
        preheader: &v.preheader,
        dateline: &v.dateline,
        intro: &v.intro,
        items: &v.items,
        archive_url: &v.archive_url,
        unsubscribe_url: &v.unsubscribe_url,
        manage_url: &v.manage_url,
    }
    .render()
    .context("rendering the MJML template")?;
    let parsed = mrml::parse(&mjml).map_err(|e| anyhow::anyhow!("parsing MJML: {e:?}"))?;
    let html = parsed
        .element
        .render(&mrml::prelude::render::RenderOptions::default())
        .map_err(|e| anyhow::anyhow!("rendering MJML: {e:?}"))?;
    let text = TextPart {
        t: AR,
        name: &v.name,
        dateline: &v.dateline,
        intro: &v.intro,
        items: &v.items,
        archive_url: &v.archive_url,
        unsubscribe_url: &v.unsubscribe_url,
        manage_url: &v.manage_url,
    }
    .render()
    .context("rendering the text part")?;
    Ok(Rendered { html, text })
}

/// The dateline of an edition made at `t`: the Gregorian date in Arabic.
pub fn dateline(t: DateTime<Utc>) -> String {
    crate::hijri::format_gregorian_ar(t)
}

/// The preheader: the titles after the first, up to about 140 characters.
pub fn preheader(items: &[Item]) -> String {
    let mut out = String::new();
    for i in items.iter().skip(1) {
        if out.chars().count() + i.title.chars().count() > 140 {
            break;
        }
        if !out.is_empty() {
            out.push_str(" · ");
        }
        out.push_str(&i.title);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> MailView {
        let items = vec![
            Item {
                source: "asharq".into(),
                id: "libya-1".into(),
                title: "حفتر يلتقي وفداً روسياً في بنغازي".into(),
                subtitle: Some("محادثات حول الأمن في شرق ليبيا".into()),
                reason: Some("لأنك تتابع ليبيا".into()),
            },
            Item {
                source: "asharq".into(),
                id: "eco <2>".into(),
                title: "الدينار & الأسواق: \"قراءة\" <سريعة>".into(),
                subtitle: None,
                reason: None,
            },
        ];
        MailView {
            name: "الموجز الصباحي".into(),
            subject: "الموجز الصباحي: حفتر يلتقي وفداً روسياً".into(),
            preheader: preheader(&items),
            dateline: "الثلاثاء 1 ديسمبر 2026".into(),
            intro: String::new(),
            items: MailView::items_from("https://news.example", &items),
            archive_url: "https://news.example/newsletters/brief".into(),
            unsubscribe_url: "https://news.example/unsubscribe/7.abc".into(),
            manage_url: "https://news.example/account/newsletters".into(),
        }
    }

    #[test]
    fn html_is_rtl_escaped_and_has_a_preheader() {
        let r = render(&sample()).expect("render");
        assert!(r.html.contains(r#"lang="ar""#) && r.html.contains(r#"dir="rtl""#));
        assert!(!r.html.contains("<سريعة>"), "unescaped text in HTML");
        assert!(r.html.contains("&lt;سريعة&gt;") || r.html.contains("&#60;سريعة&#62;"));
        assert!(r.html.contains("الدينار"));
        assert!(
            r.html
                .contains("https://news.example/articles/asharq/eco%20%3C2%3E")
        );
        assert!(r.html.contains("الدينار &amp; الأسواق") || r.html.contains("الدينار &#38; الأسواق"));
        assert!(r.html.contains("@media"), "responsive styles expected");
        assert!(r.text.contains("الدينار & الأسواق: \"قراءة\" <سريعة>"));
        assert!(r.text.contains("https://news.example/unsubscribe/7.abc"));
        assert!(r.text.contains("(لأنك تتابع ليبيا)"));
    }

    #[test]
    fn newsletter_mail_snapshots() {
        let r = render(&sample()).expect("render");
        insta::assert_snapshot!("newsletter_ar_text", r.text);
        insta::assert_snapshot!("newsletter_ar_html", r.html);
    }
}
