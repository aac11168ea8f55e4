//! `codeStep` as Zapier, Make and n8n call it (contract revision 2): the payload under `payload`
//! (a string or an object) or the raw payload itself; `url` and `contentType` / `content_type`
//! read from the wrapper, as Zapier has no other channel; `line_items` from the wrapper or the
//! `lineItems` option.

use leadhook::json::{self, Value};
use leadhook::Options;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .unwrap()
}

/// The step's answer, as JSON text.
fn step(input: &str, opts: &Options) -> String {
    leadhook::code_step(input.as_bytes(), opts)
}

/// A member of a JSON object's text, as text.
fn member(json_text: &str, name: &str) -> Option<String> {
    let value = leadhook::json::tree(json_text, 64).unwrap();
    value.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn items(json_text: &str) -> Option<usize> {
    let value = leadhook::json::tree(json_text, 64).unwrap();
    value
        .get("line_items")
        .and_then(Value::as_array)
        .map(<[Value]>::len)
}

fn wrapper(members: &[(&str, String)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, k);
        out.push(':');
        json::write_string(&mut out, v);
    }
    out.push('}');
    out
}

#[test]
fn zapier_passes_the_url_in_input_data() {
    let body = fixture("leadsquared/lead-stage-change.json");
    let url =
        "https://h.example/?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Stage_Change"
            .to_owned();
    let out = step(
        &wrapper(&[("payload", body.clone()), ("url", url)]),
        &Options::default(),
    );
    assert_eq!(
        member(&out, "eventType").as_deref(),
        Some("Lead_Post_Stage_Change")
    );
    assert_eq!(member(&out, "entityId").as_deref(), Some("5f0c2e1a"));
    // An option given to codeStep wins over the wrapper's.
    let opts = Options {
        url: Some("https://h.example/?eventType=Lead_Post_Update".to_owned()),
        ..Options::default()
    };
    let out = step(
        &wrapper(&[
            ("payload", body),
            ("url", "https://h.example/?eventType=X_Post_Y".to_owned()),
        ]),
        &opts,
    );
    assert_eq!(
        member(&out, "eventType").as_deref(),
        Some("Lead_Post_Update")
    );
}

#[test]
fn the_content_type_comes_from_the_wrapper_too() {
    let form = fixture("leadsquared/form-encoded-content-type.txt");
    for name in ["contentType", "content_type"] {
        let out = step(
            &wrapper(&[
                ("payload", form.clone()),
                (name, "application/x-www-form-urlencoded".to_owned()),
            ]),
            &Options::default(),
        );
        assert_eq!(
            member(&out, "FirstName").as_deref(),
            Some("Sachin"),
            "{name}"
        );
    }
}

#[test]
fn line_items_are_the_rows() {
    let body = fixture("leadsie-v1/example.json");
    let rows = leadhook::rows(body.as_bytes(), &Options::default()).unwrap();
    let out = step(
        &wrapper(&[("payload", body.clone()), ("line_items", "true".to_owned())]),
        &Options::default(),
    );
    assert_eq!(items(&out), Some(rows.len()));
    assert_eq!(
        member(&out, "page_id").as_deref(),
        Some("110022003300, 110022003301")
    );
    let opts = Options {
        line_items: true,
        ..Options::default()
    };
    assert!(items(&step(&wrapper(&[("payload", body.clone())]), &opts)).is_some());
    assert!(items(&step(&wrapper(&[("payload", body)]), &Options::default())).is_none());
}

#[test]
fn a_raw_payload_keeps_its_own_url_field() {
    // A payload of a known kind is the payload itself: its members are not the wrapper's.
    let body = r#"{"ProspectID":"a","url":"https://h.example/?eventType=Lead_Post_Create"}"#;
    let out = step(body, &Options::default());
    assert_eq!(
        member(&out, "url").as_deref(),
        Some("https://h.example/?eventType=Lead_Post_Create")
    );
    assert!(member(&out, "eventType").is_none());
}

/// A webhook request as n8n's Webhook node hands it to the next node (`$json`) and Pipedream's
/// HTTP trigger as `steps.trigger.event`: the body is parsed already, the query is an object.
fn request(body: &str, query: &str, content_type: &str, extra: &str) -> String {
    format!(
        r#"{{{extra}"headers":{{"host":"h.example","Content-Type":"{content_type}"}},"params":{{}},"query":{query},"body":{body}}}"#
    )
}

#[test]
fn an_n8n_webhook_item_is_read_as_the_request_it_is() {
    let body = fixture("leadsquared/lead-stage-change.json");
    let query = r#"{"entityType":"webhook","eventType":"Lead_Post_Stage_Change"}"#;
    let item = request(
        &body,
        query,
        "application/json",
        r#""webhookUrl":"https://n8n.example/webhook/x","executionMode":"production","#,
    );
    let out = step(&item, &Options::default());
    assert_eq!(
        member(&out, "eventType").as_deref(),
        Some("Lead_Post_Stage_Change")
    );
    assert_eq!(member(&out, "entityType").as_deref(), Some("webhook"));
    assert!(member(&out, "error").is_none(), "{out}");
    // The same flat record as the body with that URL.
    let direct = step(
        &body,
        &Options {
            url: Some(
                "https://h.example/?entityType=webhook&eventType=Lead_Post_Stage_Change".into(),
            ),
            ..Options::default()
        },
    );
    assert_eq!(out, direct);
}

#[test]
fn a_pipedream_event_is_read_as_the_request_it_is() {
    let body = fixture("leadsie-v2/vendor-sample.json");
    let event = request(
        &body,
        "{}",
        "application/json",
        r#""method":"POST","path":"/","client_ip":"127.0.0.1","#,
    );
    let out = step(&event, &Options::default());
    assert_eq!(out, step(&body, &Options::default()));
}

#[test]
fn a_request_with_a_form_body_string_takes_its_content_type_header() {
    // A form body that the trigger left as text: its content-type header says how to read it.
    let form = "ProspectID=a311900c&FirstName=Sachin&EmailAddress=s%40example.com";
    let mut text = String::new();
    json::write_string(&mut text, form);
    let item = request(
        &text,
        r#"{"eventType":"Lead_Post_Create"}"#,
        "application/x-www-form-urlencoded",
        "",
    );
    let out = step(&item, &Options::default());
    assert_eq!(
        member(&out, "EmailAddress").as_deref(),
        Some("s@example.com"),
        "{out}"
    );
    assert_eq!(
        member(&out, "eventType").as_deref(),
        Some("Lead_Post_Create")
    );
}

#[test]
fn an_invalid_request_body_names_the_body_keys() {
    let item = request(
        r#"{"requestUrl":"https://a.b/","apiVersion":2,"connectionAssets":[{}]}"#,
        "{}",
        "application/json",
        "",
    );
    let out = step(&item, &Options::default());
    assert!(
        member(&out, "error").is_some_and(|e| e.starts_with("leadhook: field.missing")),
        "{out}"
    );
}
