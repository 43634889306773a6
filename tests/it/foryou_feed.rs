//! The For-you acceptance points on a synthetic corpus: a new member's mixed feed, variety
//! (sources, stories), a followed tag, "less like this", hide and unhide, and readers who
//! open one section's articles.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::foryou_support::{app_with_corpus, event, feed, follow, keys, member, tag_slug};
use crate::helpers::databases;

fn field<'a>(page: &'a Value, name: &str) -> Vec<&'a str> {
    page["items"]
        .as_array()
        .map(|a| a.iter().map(|i| i[name].as_str().unwrap_or("")).collect())
        .unwrap_or_default()
}

fn longest_run(values: &[&str]) -> usize {
    let mut best = 0;
    let mut run = 0;
    for (i, v) in values.iter().enumerate() {
        run = if i > 0 && values[i - 1] == *v {
            run + 1
        } else {
            1
        };
        best = best.max(run);
    }
    best
}

#[tokio::test]
async fn a_new_member_gets_a_mixed_feed_from_four_sections_and_four_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let (token, _) = member(&app, "new@example.com").await;
        let page = feed(&app, &token, 10, None).await;
        let sections: HashSet<&str> = field(&page, "section").into_iter().collect();
        let sources: HashSet<&str> = field(&page, "source").into_iter().collect();
        assert_eq!(field(&page, "id").len(), 10, "{}: {page}", db.name);
        assert!(sections.len() >= 4, "{}: sections {sections:?}", db.name);
        assert!(sources.len() >= 4, "{}: sources {sources:?}", db.name);
        for k in field(&page, "reason_kind") {
            assert!(["fresh", "popular"].contains(&k), "{}: {k}", db.name);
        }
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn no_story_twice_and_no_more_than_three_in_a_row_from_a_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_corpus(&format!("sqlite://{}/a.db", dir.path().display()), 12).await;
    // One story carried by four sources: the same wire copy under four names.
    let copy = |source: &str| sahifa::ingest::Incoming {
        id: Some(format!("wire-{source}")),
        source: Some(source.to_string()),
        title: Some("زلزال قوي يضرب جنوب تركيا ويخلف أضراراً واسعة".into()),
        body: "ضرب زلزال قوي بلغت شدته سبع درجات جنوب تركيا فجر اليوم وأدى إلى انهيار مبان عدة \
               وفق ما أعلنته السلطات المحلية في بيان رسمي صدر صباحاً.\nوتواصل فرق الإنقاذ البحث."
            .into(),
        category: Some("internationalNews".into()),
        published: Some(crate::foryou_support::base_time()),
        ..Default::default()
    };
    app.ingest(["wire-a", "wire-b", "wire-c", "wire-d"].map(copy).to_vec())
        .await;
    app.state.reader.refresh().await.expect("refresh");
    let (token, _) = member(&app, "d@example.com").await;
    // Reading economy from one source makes that source's articles rank together.
    for k in [0, 5, 10] {
        let id = format!("economy-{k}");
        let b = json!({"type": "read", "source": "wire-c", "id": id});
        assert_eq!(event(&app, &token, b).await, 202);
    }
    assert_eq!(follow(&app, &token, "source", "wire-c").await, 201);
    let mut cursor: Option<String> = None;
    let mut sources = Vec::new();
    let mut seen = HashSet::new();
    let mut quake = 0;
    for _ in 0..4 {
        let page = feed(&app, &token, 10, cursor.as_deref()).await;
        for k in keys(&page) {
            assert!(seen.insert(k.clone()), "{k:?} shown twice");
            quake += usize::from(k.1.starts_with("wire-"));
        }
        sources.extend(field(&page, "source").into_iter().map(String::from));
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
    }
    let s: Vec<&str> = sources.iter().map(String::as_str).collect();
    assert!(longest_run(&s) <= 3, "a run of more than three: {s:?}");
    assert!(
        s.iter().filter(|x| **x == "wire-c").count() >= 6,
        "followed source is rare: {s:?}"
    );
    assert_eq!(
        quake, 1,
        "the story carried by four sources must show exactly once"
    );
    // A new member sees the widely carried story with its reason.
    let (fresh, _) = member(&app, "n@example.com").await;
    let page = feed(&app, &fresh, 10, None).await;
    let item = page["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|i| i["id"].as_str().is_some_and(|x| x.starts_with("wire-")))
        })
        .cloned()
        .expect("the carried story is in a new member's first ten");
    assert_eq!(item["reason_kind"], "popular", "{item}");
    assert_eq!(item["reason"], "خبر تتناقله مصادر عدة");
}

#[tokio::test]
async fn following_a_tag_brings_its_newest_articles_to_the_top() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let (token, _) = member(&app, "t@example.com").await;
        let slug = tag_slug(&app, "wire-a", "middleEast-0", "تونس").await;
        let before = feed(&app, &token, 10, None).await;
        assert_eq!(follow(&app, &token, "tag", &slug).await, 201);
        let after = feed(&app, &token, 10, None).await;
        let newest: Vec<(String, String)> = app
            .state
            .store
            .latest_with_tag(&slug, 3, 0)
            .await
            .expect("tag articles")
            .into_iter()
            .map(|a| (a.source, a.id))
            .collect();
        let top5: Vec<(String, String)> = keys(&after).into_iter().take(5).collect();
        for k in &newest {
            assert!(
                top5.contains(k),
                "{}: {k:?} not in the top five {top5:?}",
                db.name
            );
        }
        assert_ne!(
            keys(&before),
            keys(&after),
            "{}: following changed nothing",
            db.name
        );
        let first = &after["items"][0];
        assert_eq!(first["reason_kind"], "follow_tag", "{}: {first}", db.name);
        assert_eq!(first["reason"], "لأنك تتابع تونس", "{}", db.name);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn less_and_hide_do_what_they_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let name = db.name;
        let (token, _) = member(&app, "l@example.com").await;
        // "Less from this source" on the first item: the next page has none of it.
        let first = feed(&app, &token, 10, None).await;
        let (src, id) = keys(&first)[0].clone();
        let b = json!({"type": "less", "source": src, "id": id, "axis": "source"});
        assert_eq!(event(&app, &token, b).await, 202);
        let next = feed(&app, &token, 10, first["next"].as_str()).await;
        assert!(
            !field(&next, "source").contains(&src.as_str()),
            "{name}: {src} still there"
        );
        // "Less about this tag": its articles fall down the feed.
        let (token2, _) = member(&app, "l2@example.com").await;
        let slug = tag_slug(&app, "wire-a", "middleEast-0", "تونس").await;
        assert_eq!(follow(&app, &token2, "tag", &slug).await, 201);
        let with = |p: &Value| field(p, "tags").len() - count_without(p, "تونس");
        let before = feed(&app, &token2, 10, None).await;
        let (s, i) = keys(&before)[0].clone();
        let b = json!({"type": "less", "source": s, "id": i, "axis": "tag", "value": slug});
        assert_eq!(event(&app, &token2, b).await, 202);
        let after = feed(&app, &token2, 10, None).await;
        assert!(
            with(&after) + 3 <= with(&before),
            "{name}: تونس only went from {} to {} of ten",
            with(&before),
            with(&after)
        );
        assert!(
            !keys(&after).contains(&(s, i)),
            "{name}: the judged item is still shown"
        );
        // "Hide this source": gone from every page until unhidden.
        let (token3, pk3) = member(&app, "h@example.com").await;
        let b = json!({"type": "hide", "source": "wire-b", "id": "sport-3"});
        assert_eq!(event(&app, &token3, b).await, 202);
        let mut cursor: Option<String> = None;
        for _ in 0..3 {
            let p = feed(&app, &token3, 20, cursor.as_deref()).await;
            assert!(
                !field(&p, "source").contains(&"wire-b"),
                "{name}: hidden source shown"
            );
            cursor = p["next"].as_str().map(String::from);
        }
        assert!(
            app.state
                .reader
                .unhide(pk3, "wire-b")
                .await
                .expect("unhide"),
            "{name}"
        );
        let p = feed(&app, &token3, 20, None).await;
        assert!(
            field(&p, "source").contains(&"wire-b"),
            "{name}: unhidden source missing"
        );
        db.drop_schema().await;
    }
}

fn count_without(page: &Value, tag: &str) -> usize {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|i| {
                    !i["tags"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|x| x.as_str() == Some(tag)))
                })
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn readers_of_one_section_get_it_at_least_twice_as_often_as_the_newest_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_corpus(&format!("sqlite://{}/a.db", dir.path().display()), 14).await;
    let latest = app.state.store.latest(18, 0).await.expect("latest");
    for (n, section) in ["sport", "technology", "economy"].iter().enumerate() {
        let (token, _) = member(&app, &format!("r{n}@example.com")).await;
        let opened: Vec<(String, String)> = app
            .state
            .store
            .latest_in_section(
                sahifa::model::Section::parse(section).expect("section"),
                8,
                4,
            )
            .await
            .expect("section articles")
            .into_iter()
            .map(|a| (a.source, a.id))
            .collect();
        for (source, id) in &opened {
            let b = json!({"type": "open", "source": source, "id": id});
            assert_eq!(event(&app, &token, b).await, 202);
        }
        let page = feed(&app, &token, 10, None).await;
        let hits = field(&page, "section")
            .iter()
            .filter(|s| *s == section)
            .count();
        let recency = latest
            .iter()
            .filter(|a| !opened.contains(&(a.source.clone(), a.id.clone())))
            .take(10)
            .filter(|a| a.section.map(|s| s.slug()) == Some(*section))
            .count();
        assert!(
            hits >= 2 * recency.max(1),
            "{section}: {hits}/10 against recency {recency}/10"
        );
        assert!(hits >= 6, "{section}: only {hits}/10");
        for k in keys(&page) {
            assert!(!opened.contains(&k), "{section}: opened {k:?} shown again");
        }
    }
}

#[tokio::test]
async fn articles_that_arrive_or_go_while_the_features_are_built_show_in_the_next_feed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let (token, _) = member(&app, "late@example.com").await;
        let slug = tag_slug(&app, "wire-a", "middleEast-0", "تونس").await;
        assert_eq!(follow(&app, &token, "tag", &slug).await, 201);
        // The features are built and this member's profile is cached.
        let before = feed(&app, &token, 10, None).await;
        let late = sahifa::ingest::Incoming {
            id: Some("late-tunis".into()),
            source: Some("wire-e".into()),
            title: Some("انتخابات بلدية جديدة في تونس هذا الأسبوع".into()),
            body: "تستعد تونس لانتخابات بلدية جديدة هذا الأسبوع وسط اهتمام واسع من الناخبين \
                   في المدن والقرى، وفق ما أعلنته الهيئة المستقلة للانتخابات."
                .into(),
            category: Some("middleEast".into()),
            published: Some(crate::foryou_support::base_time() + chrono::Duration::hours(1)),
            ..Default::default()
        };
        app.ingest(vec![late]).await;
        app.state.reader.refresh().await.expect("refresh");
        let after = feed(&app, &token, 10, None).await;
        let first = &after["items"][0];
        assert_eq!(
            (first["source"].as_str(), first["id"].as_str()),
            (Some("wire-e"), Some("late-tunis")),
            "{}: the new article of a followed tag is not first: {after}",
            db.name
        );
        assert_eq!(first["reason_kind"], "follow_tag", "{}: {first}", db.name);
        assert!(!keys(&before).contains(&("wire-e".into(), "late-tunis".into())));
        // Withdrawn at the desk, then another article removed outright: both go.
        let removed = keys(&after)[1].clone();
        let withdrawn = app
            .state
            .newsroom
            .set_status("wire-e", "late-tunis", sahifa::newsroom::Publish::Draft)
            .await
            .expect("withdraw");
        assert!(withdrawn);
        let n = app
            .state
            .newsroom
            .remove(&removed.0, Some(std::slice::from_ref(&removed.1)))
            .await
            .expect("remove");
        assert_eq!(n, 1);
        app.state.reader.refresh().await.expect("refresh");
        let last = keys(&feed(&app, &token, 10, None).await);
        assert!(
            !last.contains(&("wire-e".into(), "late-tunis".into())) && !last.contains(&removed),
            "{}: a withdrawn or removed article is still in the feed: {last:?}",
            db.name
        );
        assert_eq!(last.len(), 10, "{}", db.name);
        db.drop_schema().await;
    }
}
