//! Rendering an edition for one recipient: responsive right-to-left HTML (an askama MJML
//! template, escaped, turned into table-based HTML by mrml, which the big mail clients
//! render), a plain-text part and a preheader.

use anyhow::Context;
use askama::Template;
use chrono::{DateTime, Utc};

use super::Item;
use crate::locale::{Locale, Tr};

/// The fixed words of a newsletter mail in one locale (`locales/*/newsletter.ftl`).
#[derive(Debug, Clone)]
pub struct MailTexts {
    pub lang: &'static str,
    pub dir: &'static str,
    pub align: &'static str,
    /// "You receive this because you subscribed to «name»."
    pub why: String,
    pub unsubscribe: String,
    pub manage: String,
    pub archive: String,
}

impl MailTexts {
    /// The words of newsletter `name`'s mail in `t`'s language.
    pub fn new(t: Tr, name: &str) -> MailTexts {
        MailTexts {
            lang: t.lang(),
            dir: t.dir(),
            align: if t.dir() == "rtl" { "right" } else { "left" },
            why: t.arg("nl-mail-why", "name", name).into_owned(),
            unsubscribe: t.get("nl-mail-unsubscribe").into_owned(),
            manage: t.get("nl-mail-manage").into_owned(),
            archive: t.get("nl-mail-archive").into_owned(),
        }
    }
}

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
    /// The language of the mail's own words (the stories are as written).
    pub locale: Locale,
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
    let words = MailTexts::new(Tr::new(v.locale), &v.name);
    let mjml = MjmlPart {
        t: words.clone(),
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
        t: words,
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

/// Where each recipient's unsubscribe token goes in parts rendered once for many
/// recipients (letters only, so no escaping changes it; tokens are URL-safe base64, which
/// no escaping changes either).
pub const TOKEN_SLOT: &str = "SAHIFAxUNSUBSCRIBExTOKENxSLOT";

/// The parts of a mail rendered once for every recipient of the same stories, with
/// [`TOKEN_SLOT`] where each recipient's own unsubscribe token goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared(Rendered);

impl Shared {
    /// The parts of the mail to the recipient whose unsubscribe token is `token`.
    pub fn for_token(&self, token: &str) -> Rendered {
        Rendered {
            html: self.0.html.replace(TOKEN_SLOT, token),
            text: self.0.text.replace(TOKEN_SLOT, token),
        }
    }
}

/// Renders `v`, whose unsubscribe URL ends in [`TOKEN_SLOT`], for many recipients.
pub fn render_shared(v: &MailView) -> anyhow::Result<Shared> {
    render(v).map(Shared)
}

/// The dateline of an edition made at `time`: the Gregorian date in `locale`.
pub fn dateline(locale: Locale, time: DateTime<Utc>) -> String {
    Tr::new(locale).date(time)
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
            locale: Locale::Ar,
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
    fn parts_rendered_once_then_filled_in_equal_parts_rendered_per_recipient() {
        let token = "7.Zx-_9aQ";
        let mut one = sample();
        one.unsubscribe_url = format!("https://news.example/unsubscribe/{token}");
        let mut many = sample();
        many.unsubscribe_url = format!("https://news.example/unsubscribe/{TOKEN_SLOT}");
        let direct = render(&one).expect("render");
        let filled = render_shared(&many).expect("render").for_token(token);
        assert!(direct.html.contains(token) && direct.text.contains(token));
        assert_eq!(filled, direct);
    }

    #[test]
    fn newsletter_mail_snapshots() {
        let r = render(&sample()).expect("render");
        insta::assert_snapshot!("newsletter_ar_text", r.text);
        insta::assert_snapshot!("newsletter_ar_html", r.html);
    }
}
