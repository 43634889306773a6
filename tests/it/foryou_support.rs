//! Support for the For-you tests: a synthetic Arabic corpus over six sections and five
//! sources (written for these tests), members with API tokens, and JSON helpers.

use chrono::{Duration, TimeZone, Utc};
use sahifa::accounts::Role;
use sahifa::ingest::Incoming;
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub const SOURCES: [&str; 5] = ["wire-a", "wire-b", "wire-c", "wire-d", "wire-e"];
pub const SECTIONS: [&str; 6] = [
    "middleEast",
    "internationalNews",
    "economy",
    "sport",
    "technology",
    "culture",
];
const PLACES: [&str; 6] = ["تونس", "القاهرة", "بيروت", "موسكو", "باريس", "طوكيو"];

fn words(section: &str) -> [&'static str; 6] {
    match section {
        "middleEast" => [
            "الحكومة",
            "البرلمان",
            "الانتخابات",
            "الوزير",
            "المفاوضات",
            "المعارضة",
        ],
        "internationalNews" => [
            "القمة",
            "العقوبات",
            "الحلف",
            "السفير",
            "المعاهدة",
            "اللاجئين",
        ],
        "economy" => [
            "البورصة",
            "الأسهم",
            "النفط",
            "التضخم",
            "الاستثمار",
            "الموازنة",
        ],
        "sport" => [
            "المباراة",
            "الفريق",
            "الدوري",
            "المدرب",
            "البطولة",
            "الملعب",
        ],
        "technology" => [
            "التطبيق",
            "الهاتف",
            "البرمجيات",
            "الرقاقات",
            "الإنترنت",
            "الروبوت",
        ],
        _ => [
            "المهرجان",
            "الرواية",
            "الفيلم",
            "المسرح",
            "الكاتب",
            "المعرض",
        ],
    }
}

/// Everyday words, section-neutral: each article ends with its own run of them, so that
/// two articles of the corpus are distinct texts (the template alone would make them
/// near-duplicates, one story). On most articles each, they carry no interest.
const EVERYDAY: [&str; 40] = [
    "الصباح",
    "المساء",
    "الأسبوع",
    "الشهر",
    "الناس",
    "الطريق",
    "المكتب",
    "البيت",
    "الحديقة",
    "السماء",
    "الليل",
    "النهار",
    "الساعة",
    "الدقيقة",
    "الرسالة",
    "الصورة",
    "الخريطة",
    "الكتاب",
    "الباب",
    "النافذة",
    "الجسر",
    "القطار",
    "الحافلة",
    "الفكرة",
    "الكلمة",
    "الصوت",
    "اللون",
    "الحجر",
    "الورقة",
    "القلم",
    "الطاولة",
    "الكرسي",
    "المفتاح",
    "الحقيبة",
    "المصباح",
    "الجدار",
    "السقف",
    "الدرج",
    "الممر",
    "الزاوية",
];

/// Article `n`'s own closing paragraph: 30 everyday words in an order of its own.
fn own_words(n: usize) -> String {
    let mut x = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x2545_f491_4f6c_dd1d;
    (0..30)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            EVERYDAY[(x % EVERYDAY.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The newest article's time in the corpus.
pub fn base_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2018, 6, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// `per_section` articles in each section, spread over the five sources and six places,
/// one every few hours back from [`base_time`]; ids are `{section}-{k}`.
pub fn corpus(per_section: usize) -> Vec<Incoming> {
    let mut out = Vec::new();
    for (s, section) in SECTIONS.iter().enumerate() {
        let w = words(section);
        for k in 0..per_section {
            let n = s * 100 + k;
            let place = PLACES[(k + s) % PLACES.len()];
            let title = format!("{} {} في {} العدد {n}", w[k % 6], w[(k + 1) % 6], place);
            let body = format!(
                "في العدد {n} من التغطية يتناول التقرير {} و{} في {place} بالتفصيل.\n\
                 وقال مسؤولون إن {} و{} سيشهدان تطورات جديدة خلال الأسابيع المقبلة في {place}.\n\
                 ويتابع المراقبون {} عن قرب مع استمرار النقاش حول {}.\n{}",
                w[k % 6],
                w[(k + 2) % 6],
                w[(k + 3) % 6],
                w[(k + 4) % 6],
                w[(k + 5) % 6],
                w[k % 6],
                own_words(n),
            );
            out.push(Incoming {
                id: Some(format!("{section}-{k}")),
                source: Some(SOURCES[(k + s) % SOURCES.len()].to_string()),
                title: Some(title),
                body,
                category: Some(section.to_string()),
                published: Some(base_time() - Duration::hours((k * 6 + s) as i64)),
                ..Incoming::default()
            });
        }
    }
    out
}

/// An app on `url` with the corpus loaded.
pub async fn app_with_corpus(url: &str, per_section: usize) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = TestApp::spawn_on(dir, url).await;
    app.ingest(corpus(per_section)).await;
    app.state.reader.refresh().await.expect("refresh");
    app
}

/// A verified reader with an API token: (token, user key).
pub async fn member(app: &TestApp, email: &str) -> (String, i64) {
    let user = app
        .state
        .accounts
        .add_user(email, "a long enough password", Role::Reader, true)
        .await
        .expect("add user");
    let token = app
        .state
        .accounts
        .create_api_token(&user, "test")
        .await
        .expect("token");
    (token, user.pk)
}

/// A page of the feed as JSON.
pub async fn feed(app: &TestApp, token: &str, limit: usize, cursor: Option<&str>) -> Value {
    let mut url = format!("{}/api/v1/feed?limit={limit}", app.addr);
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={c}"));
    }
    let r = app
        .client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("GET feed");
    assert_eq!(r.status(), 200, "feed status");
    r.json().await.expect("feed json")
}

/// (source, id) of each item of a feed page.
pub fn keys(page: &Value) -> Vec<(String, String)> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i["source"].as_str().unwrap_or("").to_string(),
                        i["id"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Posts a signal; returns the status.
pub async fn event(app: &TestApp, token: &str, body: Value) -> u16 {
    app.client
        .post(format!("{}/api/v1/events", app.addr))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST event")
        .status()
        .as_u16()
}

/// Follows (kind, value); returns the status.
pub async fn follow(app: &TestApp, token: &str, kind: &str, value: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/follows", app.addr))
        .bearer_auth(token)
        .json(&json!({"kind": kind, "value": value}))
        .send()
        .await
        .expect("POST follow")
        .status()
        .as_u16()
}

/// The slug of the tag the tagger gave `place` on the stored articles.
pub async fn tag_slug(app: &TestApp, source: &str, id: &str, name: &str) -> String {
    let a = crate::helpers::stored_article(&app.state.store, source, id).await;
    a.tags
        .iter()
        .find(|t| t.name == name)
        .map(|t| t.slug.clone())
        .unwrap_or_else(|| panic!("{source}/{id} has no tag {name}: {:?}", a.tags))
}
