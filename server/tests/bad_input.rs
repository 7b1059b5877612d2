//! Bad input changes nothing and gets a clear answer: malformed JSON and impossible values are
//! 400s, markup in any text is refused with the field named, and SQL-looking text is just text.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestServer, parse, small_world};
use xiafang_core::{DeviceId, Field, Problem, Record, RecordBody, fixtures};
use xiafang_core::{
    feed::PullResponse,
    verdict::{Outcome, Rejection},
};

async fn stored_count(server: &TestServer) -> usize {
    let sup = server.login("sup-county").await;
    let (_, body) = server.get("/api/sync/pull", Some(&sup)).await;
    parse::<PullResponse>(body).records.len()
}

async fn push(server: &TestServer, token: &str, records: Vec<Record>) -> Vec<Outcome> {
    let req = common::batch(DeviceId::new_random(), 1, &records);
    server
        .push(token, &req)
        .await
        .acks
        .into_iter()
        .map(|a| a.outcome)
        .collect()
}

fn fields_refused(outcome: &Outcome) -> Vec<(Field, Problem)> {
    match outcome {
        Outcome::Rejected {
            reason: Rejection::Invalid { errors },
        } => errors.iter().map(|e| (e.field, e.problem)).collect(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn script_tags_in_any_text_field_are_refused_and_nothing_is_stored() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let before = stored_count(&server).await;
        let evil = "<script>fetch('/api/me')</script>";
        let mut visit = fixtures::visit("f-a1", "wang");
        if let RecordBody::Visit(v) = &mut visit.body {
            (v.place, v.requests, v.explained) = (evil.into(), evil.into(), evil.into());
            (v.measures, v.next_step) = (evil.into(), evil.into());
            v.participants = vec![evil.into()];
        }
        let mut help = fixtures::assistance("f-a1", "wang");
        if let RecordBody::Assistance(a) = &mut help.body {
            (a.items, a.funding_source) = (evil.into(), evil.into());
        }
        let mut note = fixtures::note("f-a1", "wang");
        if let RecordBody::Note(n) = &mut note.body {
            (n.speaker, n.text) = (evil.into(), evil.into());
        }
        let outcomes = push(&server, &wang, vec![visit, help, note]).await;
        let refused: Vec<Vec<Field>> = outcomes
            .iter()
            .map(|o| {
                let found = fields_refused(o);
                assert!(
                    found.iter().all(|(_, p)| *p == Problem::Markup),
                    "{found:?}"
                );
                found.into_iter().map(|(f, _)| f).collect()
            })
            .collect();
        assert_eq!(refused[0].len(), 6, "every text field of the visit");
        assert_eq!(refused[1], vec![Field::Items, Field::FundingSource]);
        assert_eq!(refused[2], vec![Field::Speaker, Field::Text]);
        assert_eq!(stored_count(&server).await, before);
        // The author's name is the server's, whatever the phone sent.
        let mut named = fixtures::note("f-a1", "wang");
        named.author_name = "<b>王</b>".into();
        assert_eq!(
            push(&server, &wang, vec![named]).await,
            vec![Outcome::Stored]
        );
        let (_, body) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        assert_eq!(parse::<Vec<Record>>(body)[0].author_name, "wang 姓名");
    }
}

#[tokio::test]
async fn sql_looking_text_is_stored_as_it_was_typed() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let before = stored_count(&server).await;
        let sneaky = "'; DROP TABLE records; -- \" OR 1=1 -- 他说：‘不解决就去北京’";
        let mut note = fixtures::note("f-a1", "wang");
        if let RecordBody::Note(n) = &mut note.body {
            n.text = sneaky.into();
        }
        assert_eq!(
            push(&server, &wang, vec![note.clone()]).await,
            vec![Outcome::Stored]
        );
        let (_, body) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        let stored: Vec<Record> = parse(body);
        note.author_name = "wang 姓名".into();
        assert_eq!(
            stored,
            vec![note],
            "the very same text, and the table still there"
        );
        assert_eq!(stored_count(&server).await, before + 1);
    }
}

#[tokio::test]
async fn impossible_dates_and_amounts_are_clear_errors_that_change_nothing() {
    for server in TestServer::each(&small_world()).await {
        let wang = server.login("wang").await;
        let before = stored_count(&server).await;
        let good = serde_json::to_value(fixtures::assistance("f-a1", "wang")).unwrap();
        let mut bad_date = good.clone();
        bad_date["occurred_at"] = "2026-13-45T09:00:00".into();
        let mut words_for_money = good.clone();
        words_for_money["body"]["amount_fen"] = "五百".into();
        for record in [bad_date, words_for_money] {
            let body = serde_json::json!({
                "device_id": DeviceId::new_random(),
                "ops": [{"seq": 1, "record": record}],
                "device_time": chrono::Utc::now(),
            });
            let req = common::authorised(Request::post("/api/sync/push"), &wang)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            let (status, body) = server.send(req).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(body["code"], "bad_request");
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("请求格式有误：")
            );
        }
        let mut negative = fixtures::assistance("f-a1", "wang");
        if let RecordBody::Assistance(a) = &mut negative.body {
            a.amount_fen = Some(-500);
        }
        let outcomes = push(&server, &wang, vec![negative]).await;
        assert_eq!(
            fields_refused(&outcomes[0]),
            vec![(Field::Amount, Problem::AmountNotPositive)]
        );
        assert_eq!(stored_count(&server).await, before);
    }
}
