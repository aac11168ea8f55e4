//! Where `codeStep` finds the payload in Zapier's, Make's and n8n's `inputData` (contract
//! revision 2), and with what options: under `payload` (a string or an object) or the raw payload
//! itself; `url` and `contentType` / `content_type` read from the wrapper, as Zapier has no other
//! channel; `line_items` from the wrapper or the `lineItems` option; a webhook request's `body`,
//! `content-type` header and `query`. The answers the package makes of these plans are tested in
//! tests/node/functions.test.mjs ("codeStep").

use leadhook::code_step::{plan, Plan};
use leadhook::json;
use leadhook::Options;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    ))
    .unwrap()
}

fn planned(input: &str, opts: &Options) -> Plan {
    plan(input.as_bytes(), opts, true).unwrap()
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
        "https://h.example/?entityType=webhook&entityId=5f0c2e1a&eventType=Lead_Post_Stage_Change";
    let got = planned(
        &wrapper(&[("payload", body.clone()), ("url", url.to_owned())]),
        &Options::default(),
    );
    assert_eq!(got.body.as_deref(), Some(body.as_str()));
    assert_eq!(got.url.as_deref(), Some(url));
    assert_eq!(got.content_type, None);
    // An option given to codeStep wins over the wrapper's.
    let opts = Options {
        url: Some("https://h.example/?eventType=Lead_Post_Update".to_owned()),
        ..Options::default()
    };
    let got = planned(
        &wrapper(&[
            ("payload", body),
            ("url", "https://h.example/?eventType=X_Post_Y".to_owned()),
        ]),
        &opts,
    );
    assert_eq!(got.url, opts.url);
}

#[test]
fn the_content_type_comes_from_the_wrapper_too() {
    let form = fixture("leadsquared/form-encoded-content-type.txt");
    for name in ["contentType", "content_type"] {
        let got = planned(
            &wrapper(&[
                ("payload", form.clone()),
                (name, "application/x-www-form-urlencoded".to_owned()),
            ]),
            &Options::default(),
        );
        assert_eq!(got.body.as_deref(), Some(form.as_str()), "{name}");
        assert_eq!(
            got.content_type.as_deref(),
            Some("application/x-www-form-urlencoded"),
            "{name}"
        );
    }
}

#[test]
fn line_items_from_the_wrapper_or_the_option() {
    let body = fixture("leadsie-v1/example.json");
    for flag in ["true", "TRUE"] {
        let with = wrapper(&[("payload", body.clone()), ("line_items", flag.to_owned())]);
        assert!(planned(&with, &Options::default()).line_items, "{flag}");
    }
    let asked = Options {
        line_items: true,
        ..Options::default()
    };
    let plain = wrapper(&[("payload", body.clone())]);
    assert!(planned(&plain, &asked).line_items);
    assert!(!planned(&plain, &Options::default()).line_items);
    assert!(planned(&body, &asked).line_items, "the raw payload, asked");
    let boolean = format!("{{\"payload\":{body},\"line_items\":true}}");
    assert!(planned(&boolean, &Options::default()).line_items);
}

#[test]
fn a_raw_payload_keeps_its_own_url_field() {
    // A payload of a known kind is the payload itself: its members are not the wrapper's.
    let body = r#"{"ProspectID":"a","url":"https://h.example/?eventType=Lead_Post_Create"}"#;
    let got = planned(body, &Options::default());
    assert_eq!(got.body, None);
    assert_eq!(got.url, None);
    assert_eq!(got.keys, ["ProspectID", "url"]);
    // A lead event's own `payload` member is not the wrapper's either.
    let event = fixture("lead-event/vendor-sample.json");
    assert_eq!(planned(&event, &Options::default()).body, None);
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
    let body = r#"{"ProspectID":"a","FirstName":"S"}"#;
    let query = r#"{"entityType":"webhook","eventType":"Lead_Post_Stage_Change","n":1}"#;
    let item = request(
        body,
        query,
        "text/plain",
        r#""webhookUrl":"https://n8n.example/webhook/x","executionMode":"production","#,
    );
    let got = planned(&item, &Options::default());
    // The object body as JSON, read as JSON whatever the header says; the query's strings.
    assert_eq!(got.body.as_deref(), Some(body));
    assert_eq!(got.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        got.url.as_deref(),
        Some("?entityType=webhook&eventType=Lead_Post_Stage_Change")
    );
    assert_eq!(got.keys, ["ProspectID", "FirstName"]);
}

#[test]
fn a_query_is_percent_encoded_as_a_url_would_be() {
    let item = request("{}", r#"{"a b":"x&y=z/é"}"#, "application/json", "");
    assert_eq!(
        planned(&item, &Options::default()).url.as_deref(),
        Some("?a%20b=x%26y%3Dz%2F%C3%A9")
    );
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
    let got = planned(&item, &Options::default());
    assert_eq!(got.body.as_deref(), Some(form));
    assert_eq!(
        got.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(got.url.as_deref(), Some("?eventType=Lead_Post_Create"));
    assert_eq!(got.keys, ["ProspectID", "FirstName", "EmailAddress"]);
}

#[test]
fn keys_are_read_only_when_asked_for() {
    let inner = r#"{"a":1,"b":2}"#;
    let input = wrapper(&[("payload", inner.to_owned())]);
    assert_eq!(planned(&input, &Options::default()).keys, ["a", "b"]);
    let without = plan(input.as_bytes(), &Options::default(), false).unwrap();
    assert!(without.keys.is_empty());
}

#[test]
fn an_unreadable_input_or_bad_options_fail() {
    let report = plan(b"{\"payload\":", &Options::default(), false).unwrap_err();
    assert_eq!(report.errors[0].code, leadhook::Code::JsonSyntax);
    // The wrapper is one level deeper than its payload: allowed one more.
    let deep = Options {
        max_depth: 2,
        ..Options::default()
    };
    assert!(plan(br#"{"payload":{"a":{"b":1}}}"#, &deep, false).is_ok());
    assert!(plan(br#"{"payload":{"a":{"b":[1]}}}"#, &deep, false).is_err());
}
