//! Stories: near-duplicate copies across sources (and re-posts at one) grouped into one
//! story on the write path, its "full coverage" page, `GET /api/v1/stories`, the article
//! JSON's `story`, and consistency through changes and removals. Both backends.

use chrono::{DateTime, TimeZone, Utc};
use sahifa::ingest::Incoming;
use serde_json::Value;

use crate::helpers::{TestApp, databases};

const DERNA: &str = "أعلن الجيش الوطني الليبي بقيادة المشير خليفة حفتر السيطرة الكاملة على مدينة \
    درنة بعد معارك استمرت عدة أسابيع مع جماعات مسلحة متشددة في المدينة الساحلية.\n\
    وقال المتحدث باسم الجيش أحمد المسماري في مؤتمر صحفي عقده في بنغازي إن القوات دخلت آخر \
    معاقل المسلحين في حي المدينة القديمة وسط درنة بعد اشتباكات عنيفة.\n\
    وأضاف المسماري أن عمليات تمشيط الأحياء ستتواصل خلال الأيام المقبلة لتأمين عودة السكان \
    الذين نزحوا عن المدينة، وأن فرق الهندسة العسكرية تعمل على إزالة الألغام.\n\
    وكانت درنة الواقعة شرق ليبيا آخر مدينة في المنطقة الشرقية خارج سيطرة قوات حفتر.";

const ELECTIONS: &str = "قال المشير خليفة حفتر قائد الجيش الوطني الليبي في كلمة متلفزة مساء \
    الثلاثاء إنه يدعم إجراء انتخابات رئاسية وبرلمانية قبل نهاية العام الجاري.\n\
    ودعا حفتر الأطراف السياسية في طرابلس وطبرق إلى احترام إرادة الليبيين والابتعاد عن \
    التدخلات الخارجية في شؤون البلاد، مؤكدا أن الجيش سيحمي صناديق الاقتراع.\n\
    وأشار إلى أن المؤسسة العسكرية لن تتدخل في العملية السياسية ما دامت تجري وفق القانون.";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2018, 6, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

fn rec(source: &str, id: &str, title: &str, body: &str, when: DateTime<Utc>) -> Incoming {
    Incoming {
        id: Some(id.into()),
        source: Some(source.into()),
        title: Some(title.into()),
        body: body.into(),
        category: Some("middleEast".into()),
        url: Some(format!("https://{source}.example/{id}")),
        published: Some(when),
        ..Incoming::default()
    }
}

/// The wire story at three places (another headline with boilerplate at a second paper, a
/// re-post at the first), another حفتر statement a day later, and the Derna copy again a
/// week later (outside the window: a story of its own).
fn records() -> Vec<Incoming> {
    let copy = format!(
        "{}\nتابعونا على مواقع التواصل الاجتماعي لمزيد من الأخبار العاجلة.",
        DERNA.replace('أ', "ا").replace('ة', "ه")
    );
    let cut: Vec<&str> = DERNA.lines().take(3).collect();
    vec![
        rec("wire-b", "b1", "الجيش الليبي يدخل درنة", &copy, at(5, 9)),
        rec(
            "wire-a",
            "a1",
            "حفتر يعلن السيطرة على درنة",
            DERNA,
            at(5, 8),
        ),
        rec(
            "wire-a",
            "a2",
            "عاجل: درنة تحت سيطرة الجيش",
            &cut.join("\n"),
            at(5, 14),
        ),
        rec(
            "wire-c",
            "c1",
            "حفتر يدعم إجراء الانتخابات",
            ELECTIONS,
            at(6, 10),
        ),
        rec("wire-c", "c2", "درنة: الجيش يسيطر", DERNA, at(13, 10)),
    ]
}

async fn json(app: &TestApp, path: &str) -> Value {
    let r = app.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.expect("json")
}

fn pairs(story: &Value) -> Vec<(String, String)> {
    story["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            (
                a["source"].as_str().unwrap_or("").to_string(),
                a["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn key(s: &str, i: &str) -> (String, String) {
    (s.to_string(), i.to_string())
}

#[tokio::test]
async fn copies_form_one_story_with_its_page_and_json_and_other_statements_stay_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = TestApp::spawn_on(tempfile::tempdir().expect("tempdir"), &db.url).await;
        app.ingest(records()).await;

        let list = json(&app, "/api/v1/stories?limit=10").await;
        let stories = list["stories"].as_array().expect("stories");
        assert_eq!(stories.len(), 1, "{}: {list}", db.name);
        let s = &stories[0];
        assert_eq!(s["size"], 3, "{}", db.name);
        assert_eq!(s["sources"], 2, "{}", db.name);
        assert_eq!(
            s["title"], "حفتر يعلن السيطرة على درنة",
            "the earliest copy's"
        );
        assert_eq!(s["first_published"], "2018-06-05T08:00:00Z");
        assert_eq!(
            pairs(s),
            vec![
                key("wire-a", "a1"),
                key("wire-b", "b1"),
                key("wire-a", "a2")
            ],
            "{}: earliest first",
            db.name
        );
        let id = s["id"].as_i64().expect("id");

        let a = json(&app, "/api/v1/articles/wire-b/b1").await;
        assert_eq!(a["story"]["id"], id, "{}", db.name);
        assert_eq!(a["story"]["size"], 3);
        for (source, other) in [("wire-c", "c1"), ("wire-c", "c2")] {
            let a = json(&app, &format!("/api/v1/articles/{source}/{other}")).await;
            assert!(a["story"].is_null(), "{}: {other} is alone: {a}", db.name);
        }
        let latest = json(&app, "/api/v1/articles?limit=10").await;
        let with_story = latest
            .as_array()
            .expect("list")
            .iter()
            .filter(|a| a["story"]["id"] == id)
            .count();
        assert_eq!(with_story, 3, "{}", db.name);

        let page = app
            .get("/articles/wire-a/a2")
            .await
            .text()
            .await
            .expect("page");
        assert!(
            page.contains(&format!("href=\"/stories/{id}\"")),
            "{}",
            db.name
        );
        let alone = app
            .get("/articles/wire-c/c1")
            .await
            .text()
            .await
            .expect("page");
        assert!(!alone.contains("/stories/"), "{}", db.name);

        let r = app.get(&format!("/stories/{id}")).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("dir=\"rtl\""), "{}", db.name);
        assert!(html.contains("التغطية الكاملة"), "{}: {html}", db.name);
        let positions: Vec<usize> = [
            "/articles/wire-a/a1",
            "/articles/wire-b/b1",
            "/articles/wire-a/a2",
        ]
        .iter()
        .map(|h| html.find(&format!("href=\"{h}\"")).unwrap_or(usize::MAX))
        .collect();
        assert!(
            positions
                .windows(2)
                .all(|w| w[0] < w[1] && w[1] != usize::MAX),
            "{}: every copy, earliest first: {positions:?}",
            db.name
        );
        assert!(!html.contains("wire-c/c1"), "{}", db.name);
        let en = app
            .get(&format!("/stories/{id}?lang=en"))
            .await
            .text()
            .await
            .expect("html");
        assert!(
            en.contains("Full coverage") && en.contains("3 copies from 2 sources"),
            "{en}"
        );
        assert_eq!(app.get("/stories/999999").await.status(), 404);
        assert_eq!(app.get("/stories/x").await.status(), 404);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn changes_and_removals_keep_stories_consistent() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = TestApp::spawn_on(tempfile::tempdir().expect("tempdir"), &db.url).await;
        app.ingest(records()).await;
        let story = |app: &TestApp, s: &'static str, i: &'static str| {
            let store = app.state.store.clone();
            async move { store.story_of(s, i).await.expect("story") }
        };
        let (id, size) = story(&app, "wire-a", "a1").await.expect("grouped");
        assert_eq!(size, 3);

        // The re-post is rewritten into another story: it leaves this one.
        app.ingest(vec![rec("wire-a", "a2", "تحديث", ELECTIONS, at(5, 14))])
            .await;
        assert_eq!(
            story(&app, "wire-a", "a1").await,
            Some((id, 2)),
            "{}",
            db.name
        );
        let (other, size) = story(&app, "wire-a", "a2").await.expect("joined c1");
        assert_eq!(
            (Some((other, size)), size),
            (story(&app, "wire-c", "c1").await, 2),
            "{}: the rewritten article joins the statement it now copies",
            db.name
        );

        // `sahifa remove` of the first copy: the story keeps the second, alone.
        let removed = app
            .state
            .newsroom
            .remove("wire-a", Some(&["a1".to_string()]))
            .await
            .expect("remove");
        assert_eq!(removed, 1);
        assert_eq!(story(&app, "wire-b", "b1").await, None, "{}", db.name);
        let (_, copies) = app
            .state
            .store
            .story(id)
            .await
            .expect("read")
            .expect("kept");
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0].id, "b1");
        assert_eq!(app.get(&format!("/stories/{id}")).await.status(), 200);

        // A source removed with its articles: its stories go when nothing is left.
        app.state
            .newsroom
            .remove("wire-b", None)
            .await
            .expect("remove");
        assert_eq!(
            app.get(&format!("/stories/{id}")).await.status(),
            404,
            "{}",
            db.name
        );
        let list = json(&app, "/api/v1/stories").await;
        let ids: Vec<i64> = list["stories"]
            .as_array()
            .expect("stories")
            .iter()
            .filter_map(|s| s["id"].as_i64())
            .collect();
        assert_eq!(ids, vec![other], "{}", db.name);
        app.state
            .newsroom
            .remove("wire-c", None)
            .await
            .expect("remove");
        let list = json(&app, "/api/v1/stories").await;
        assert_eq!(list["stories"], serde_json::json!([]), "{}", db.name);
        assert_eq!(story(&app, "wire-a", "a2").await, None);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn stories_regroup_finds_the_same_stories_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = TestApp::spawn_on(tempfile::tempdir().expect("tempdir"), &db.url).await;
        app.ingest(records()).await;
        let before = json(&app, "/api/v1/stories").await;
        let n = app.state.store.regroup_all().await.expect("regroup");
        assert_eq!(n, 5);
        let after = json(&app, "/api/v1/stories").await;
        assert_eq!(pairs(&before["stories"][0]), pairs(&after["stories"][0]));
        assert_eq!(after["stories"][0]["size"], 3, "{}", db.name);
        db.drop_schema().await;
    }
}

/// A bulletin reissued every other day in nearly the same words (the large corpus's weather
/// bulletins did this for twelve days): each issue is a near-copy of the one before, but a
/// story spans at most the window, so issues a week apart are never one story.
#[tokio::test]
async fn a_bulletin_reissued_every_other_day_does_not_chain_into_one_story() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = TestApp::spawn_on(tempfile::tempdir().expect("tempdir"), &db.url).await;
        let issues = [1, 3, 5, 7].map(|day| {
            let id = format!("d{day}");
            rec("met", &id, "درنة: نشرة اليوم", DERNA, at(day, 6))
        });
        app.ingest(issues.to_vec()).await;
        let got = json(&app, "/api/v1/stories?limit=10").await;
        let mut groups: Vec<Vec<String>> = got["stories"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| pairs(s).into_iter().map(|(_, id)| id).collect())
                    .collect()
            })
            .unwrap_or_default();
        for g in &mut groups {
            g.sort();
        }
        groups.sort();
        assert_eq!(
            groups,
            vec![
                vec!["d1".to_string(), "d3".into()],
                vec!["d5".into(), "d7".into()]
            ],
            "{}: {got}",
            db.name
        );
        db.drop_schema().await;
    }
}
