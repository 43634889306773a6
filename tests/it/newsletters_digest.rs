//! The personalized digest, end to end with a real SMTP server: each member's edition is
//! their For-you ranking with its reasons. A member who follows ليبيا gets the Libya stories
//! first, each with «لأنك تتابع ليبيا»; a member who follows the economy section gets a
//! different digest led by economy stories; a member with the same follow who hid a source
//! gets their own digest without it (members share a digest only when nothing else differs).

use chrono::Duration;
use sahifa::ingest::Incoming;
use sahifa::reader::FollowKind;

use crate::accounts_support::{Received, SmtpSink, spawn_with};
use crate::foryou_support::{base_time, corpus};
use crate::helpers::databases;
use crate::newsletters_support::{add_member, settled};

/// Three distinct Libya stories from three sources, older than most of the corpus (so
/// only a follow brings them up).
fn libya() -> Vec<Incoming> {
    let stories = [
        (
            "wire-a",
            "المجلس الرئاسي في ليبيا يبحث موعد الانتخابات مع الأحزاب في طرابلس",
            "اجتمع المجلس الرئاسي في ليبيا مع ممثلي الأحزاب في طرابلس لبحث موعد الانتخابات.\n\
             وقال متحدث إن ليبيا تحتاج إلى قانون انتخابي متفق عليه قبل نهاية العام.",
        ),
        (
            "wire-c",
            "إنتاج النفط في ليبيا يبلغ أعلى مستوى له منذ عشر سنوات",
            "أعلنت المؤسسة الوطنية للنفط أن إنتاج ليبيا من الخام تجاوز مليوناً ومئتي ألف برميل يومياً.\n\
             ويعود الارتفاع إلى إعادة فتح حقول في جنوب ليبيا بعد توقف طويل.",
        ),
        (
            "wire-e",
            "سيول تضرب شرق ليبيا وتغلق طرقاً رئيسية حول بنغازي",
            "تسببت أمطار غزيرة في سيول شرق ليبيا أغلقت طرقاً رئيسية حول بنغازي.\n\
             ودعت السلطات في ليبيا السكان إلى الابتعاد عن مجاري الأودية.",
        ),
    ];
    stories
        .iter()
        .enumerate()
        .map(|(k, (source, title, body))| Incoming {
            id: Some(format!("libya-{k}")),
            source: Some((*source).to_string()),
            title: Some((*title).to_string()),
            body: (*body).to_string(),
            category: Some("middleEast".into()),
            published: Some(base_time() - Duration::hours(60 + k as i64)),
            ..Incoming::default()
        })
        .collect()
}

/// The items of a digest's text part: (title, reason) in order.
fn items(m: &Received) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for line in m.text().lines() {
        if let Some(title) = line.strip_prefix("* ") {
            out.push((title.to_string(), None));
        } else if let Some(reason) = line.trim().strip_prefix('(')
            && let Some(last) = out.last_mut()
        {
            last.1 = Some(reason.trim_end_matches(')').to_string());
        }
    }
    out
}

#[tokio::test]
async fn a_members_digest_is_their_for_you_ranking_with_its_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let name = db.name;
        let sink = SmtpSink::start();
        let app = spawn_with(&db.url, &sink.url(), |_| {}).await;
        let mut records = corpus(4);
        records.extend(libya());
        app.ingest(records).await;
        app.state.reader.refresh().await.expect("refresh");
        let nl = &app.state.newsletters;
        nl.add(
            "weekly",
            "ملخصك الأسبوعي",
            "digest",
            None,
            Some(""),
            "",
            Some(3),
        )
        .await
        .expect("add");
        let mut members = Vec::new();
        for (email, kind, value) in [
            (
                "libya@example.com",
                FollowKind::Tag,
                sahifa::model::tag_slug("ليبيا"),
            ),
            (
                "eco@example.com",
                FollowKind::Section,
                "economy".to_string(),
            ),
            (
                "libya-no-wire-a@example.com",
                FollowKind::Tag,
                sahifa::model::tag_slug("ليبيا"),
            ),
        ] {
            let user = add_member(&app.state, email, sahifa::accounts::Role::Reader).await;
            app.state
                .reader
                .follow(user.pk, kind, &value)
                .await
                .unwrap_or_else(|e| panic!("{name}: follow {value}: {e}"));
            nl.member_subscribe(&user, "weekly")
                .await
                .expect("subscribe");
            if email.starts_with("libya-no-wire-a") {
                // The same follow as the first member, but this one hid a source: the two
                // must not share one digest.
                let hide = sahifa::reader::Event {
                    kind: sahifa::reader::SignalKind::Hide,
                    source: "wire-a".into(),
                    id: "libya-0".into(),
                    axis: None,
                    value: None,
                };
                app.state
                    .reader
                    .record(user.pk, &hide)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: hide: {e}"));
            }
            members.push(email);
        }
        let weekly = nl.by_slug("weekly").await.expect("q").expect("weekly");
        let (edition, n) = nl.send_now(&weekly).await.expect("send");
        assert_eq!(n, 3, "{name}");
        let c = settled(&app, edition.pk).await;
        assert_eq!((c.sent, c.failed, c.uncertain), (3, 0, 0), "{name}");

        let to_libya = sink.wait_for("libya@example.com", 1).await.remove(0);
        let l = items(&to_libya);
        assert!(l.len() >= 6, "{name}: {l:?}");
        for (title, reason) in &l[..3] {
            assert!(title.contains("ليبيا"), "{name}: Libya first, got {l:?}");
            assert_eq!(
                reason.as_deref(),
                Some("لأنك تتابع ليبيا"),
                "{name}: {title}"
            );
        }
        let html = to_libya.html.as_deref().expect("html");
        assert!(
            html.contains("لأنك تتابع ليبيا"),
            "{name}: the reason is in the HTML part"
        );

        let to_eco = sink.wait_for("eco@example.com", 1).await.remove(0);
        let e = items(&to_eco);
        assert!(e.len() >= 6, "{name}: {e:?}");
        assert_eq!(
            e[0].1.as_deref(),
            Some("لأنك تتابع الاقتصاد"),
            "{name}: {e:?}"
        );
        assert!(!e[0].0.contains("ليبيا"), "{name}: {e:?}");
        let titles =
            |v: &[(String, Option<String>)]| v.iter().map(|i| i.0.clone()).collect::<Vec<_>>();
        assert_ne!(titles(&l), titles(&e), "{name}: two follows, one digest");

        let wire_a = "المجلس الرئاسي في ليبيا يبحث موعد الانتخابات مع الأحزاب في طرابلس";
        assert!(titles(&l).iter().any(|t| t == wire_a), "{name}: {l:?}");
        let to_hider = sink
            .wait_for("libya-no-wire-a@example.com", 1)
            .await
            .remove(0);
        let h = items(&to_hider);
        assert!(h.len() >= 6, "{name}: {h:?}");
        assert!(
            !titles(&h).iter().any(|t| t == wire_a),
            "{name}: a hidden source's story in the digest: {h:?}"
        );
        for (title, reason) in &h[..2] {
            assert!(title.contains("ليبيا"), "{name}: Libya first, got {h:?}");
            assert_eq!(reason.as_deref(), Some("لأنك تتابع ليبيا"), "{name}");
        }
        db.drop_schema().await;
    }
}
