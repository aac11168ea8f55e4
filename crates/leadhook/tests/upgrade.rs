//! `upgrade` of a legacy lead event (API rev 3): the result is a valid `lead-event.v2` event
//! with the legacy `secret` left out, each mapped event under its current name, an event with no
//! current counterpart under its own name (a warning when the result is validated), and
//! `upgradedFrom` saying what it was. A user moving from the legacy webhook keeps one
//! downstream shape: the flat keys of the upgraded event are those of a current one.

mod common;

use leadhook::{Kind, Options, Value};

const SECRET: &str = "wh_a46f35f22d9723a";

fn legacy(event: &str, payload: &str) -> String {
    format!(r#"{{"id_space":"ws-1","event":"{event}","secret":"{SECRET}","payload":{payload}}}"#)
}

const LEAD: &str = r#"{"id":"lead-1","email":"ada@example.com","first_name":"Ada","last_name":"Lovelace","created_at":"2026-03-19T12:00:00.000Z","updated_at":"2026-03-20T08:30:00.000Z","custom_fields":{"plan":"pro"}}"#;

const NOTE: &str = r#"{"id":"n1","content":"hi","created_at":"2026-03-19T12:00:00.000Z"}"#;

fn upgraded(body: &str) -> (String, leadhook::Report) {
    let value = leadhook::upgrade(body.as_bytes(), &Options::default()).unwrap();
    let json = value.to_json();
    let as_v2 = Options {
        kind: Some(Kind::LeadEventV2),
        ..Options::default()
    };
    let report = leadhook::validate(json.as_bytes(), &as_v2);
    (json, report)
}

#[test]
fn each_mapped_event_upgrades_to_a_valid_current_event() {
    for (old, new, payload) in [
        ("lead.create", "record.created", LEAD),
        ("lead.update", "record.updated", LEAD),
        ("lead.status.update", "record.updated", LEAD),
        ("lead.tags.update", "record.updated", LEAD),
        ("lead.delete", "record.deleted", LEAD),
        ("lead.note.create", "note.created", NOTE),
        ("lead.note.delete", "note.deleted", NOTE),
        ("lead.task.create", "task.created", NOTE),
    ] {
        let (json, report) = upgraded(&legacy(old, payload));
        assert!(report.ok(), "{old}: {}", report.to_json());
        assert!(!json.contains(SECRET), "{old}: the secret is left out");
        let value = leadhook::json::tree(&json, 64).unwrap();
        assert_eq!(
            value.get("event").and_then(Value::as_str),
            Some(new),
            "{old}"
        );
        assert_eq!(
            value.get("workspaceId").and_then(Value::as_str),
            Some("ws-1")
        );
        let from = value.get("upgradedFrom").unwrap();
        assert_eq!(from.get("event").and_then(Value::as_str), Some(old));
        assert_eq!(from.get("mapped").and_then(Value::as_bool), Some(true));
    }
}

#[test]
fn a_lead_becomes_a_person_record_whose_flat_keys_are_a_current_records() {
    let (json, _) = upgraded(&legacy("lead.create", LEAD));
    let value = leadhook::json::tree(&json, 64).unwrap();
    assert_eq!(
        value.get("timestamp").and_then(Value::as_str),
        Some("2026-03-20T08:30:00.000Z")
    );
    let data = value.get("data").unwrap();
    assert_eq!(
        data.get("objectType").and_then(Value::as_str),
        Some("person")
    );
    assert_eq!(
        data.get("fields")
            .and_then(|f| f.get("email"))
            .and_then(Value::as_str),
        Some("ada@example.com")
    );
    // The flat keys of the envelope and the record are those of the current format's own sample.
    let current = std::fs::read_to_string(concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
        "/tests/fixtures/lead-event-v2/vendor-record-created.json"
    ))
    .unwrap();
    let keys = |body: &str| -> Vec<String> {
        let flat = leadhook::flatten(body.as_bytes(), &Options::default()).unwrap();
        flat.keys()
            .map(str::to_owned)
            .filter(|k| !k.starts_with("data__fields__") && !k.starts_with("upgradedFrom"))
            .collect()
    };
    assert_eq!(keys(&json), keys(&current));
    // The legacy lead has no one name: its first and last names stay in `fields`.
    assert_eq!(data.get("name"), Some(&Value::Null));
}

/// The flat keys of a body but its record's own fields (which are the lead's) and
/// `upgradedFrom`.
fn flat_keys(body: &str) -> Vec<String> {
    let flat = leadhook::flatten(body.as_bytes(), &Options::default()).unwrap();
    flat.keys()
        .filter(|k| !k.starts_with("data__fields__") && !k.starts_with("upgradedFrom"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_mapped_event_has_the_flat_keys_of_its_current_counterpart() {
    const TASK: &str = r#"{"id":"t1","title":"Call back","due_at":"2026-03-21T09:00:00.000Z","lead_id":"lead-1","created_at":"2026-03-19T12:00:00.000Z"}"#;
    for (old, payload, current) in [
        ("lead.create", LEAD, "vendor-record-created"),
        ("lead.update", LEAD, "record-updated"),
        ("lead.tags.update", LEAD, "record-updated"),
        ("lead.delete", LEAD, "record-deleted"),
        ("lead.note.create", NOTE, "note-created"),
        ("lead.note.update", NOTE, "note-updated"),
        ("lead.note.delete", NOTE, "note-deleted"),
        ("lead.reminder.create", TASK, "task-created"),
        ("lead.reminder.done", TASK, "task-completed"),
    ] {
        let (json, report) = upgraded(&legacy(old, payload));
        assert!(
            report.ok() && report.warnings.is_empty(),
            "{old}: {}",
            report.to_json()
        );
        let sample = std::fs::read_to_string(format!(
            "{}/../../tests/fixtures/lead-event-v2/{current}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(flat_keys(&json), flat_keys(&sample), "{old} as {current}");
    }
}

#[test]
fn a_note_and_a_task_keep_what_their_legacy_payload_says() {
    let (json, _) = upgraded(&legacy("lead.note.create", NOTE));
    let data = leadhook::json::tree(&json, 64).unwrap();
    let data = data.get("data").unwrap();
    assert_eq!(data.get("noteId").and_then(Value::as_str), Some("n1"));
    assert_eq!(data.get("contentPlain").and_then(Value::as_str), Some("hi"));
    assert_eq!(data.get("author"), Some(&Value::Null));
    let (json, _) = upgraded(&legacy(
        "lead.reminder.done",
        r#"{"id":"t1","title":"Call back","lead_id":"lead-1"}"#,
    ));
    let data = leadhook::json::tree(&json, 64).unwrap();
    let data = data.get("data").unwrap();
    assert_eq!(data.get("taskId").and_then(Value::as_str), Some("t1"));
    assert_eq!(data.get("recordId").and_then(Value::as_str), Some("lead-1"));
    assert_eq!(data.get("status").and_then(Value::as_str), Some("done"));
}

#[test]
fn an_event_with_no_current_counterpart_keeps_its_name_and_warns() {
    let (json, report) = upgraded(&legacy("campaign.email.open", NOTE));
    assert!(report.ok(), "{}", report.to_json());
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code.as_str() == "field.enum" && w.path == "/event"),
        "{}",
        report.to_json()
    );
    let value = leadhook::json::tree(&json, 64).unwrap();
    assert_eq!(
        value.get("event").and_then(Value::as_str),
        Some("campaign.email.open")
    );
    assert_eq!(
        value
            .get("upgradedFrom")
            .and_then(|f| f.get("mapped"))
            .and_then(Value::as_bool),
        Some(false)
    );
}

#[test]
fn two_updates_of_one_lead_get_two_ids_and_a_redelivery_the_same() {
    let a = legacy("lead.update", LEAD);
    let b = legacy("lead.update", &LEAD.replace("pro", "team"));
    let id = |body: &str| {
        leadhook::json::tree(&upgraded(body).0, 64)
            .unwrap()
            .get("eventId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    assert_ne!(id(&a), id(&b));
    assert_eq!(id(&a), id(&a));
}

#[test]
fn a_lead_delete_whose_payload_is_its_id_is_a_lead_event_with_a_field_error() {
    let body = legacy("lead.delete", r#""lead-1""#);
    let report = leadhook::validate(body.as_bytes(), &Options::default());
    assert_eq!(report.kind, Some(Kind::LeadEvent));
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.code.as_str() == "field.type" && e.path == "/payload"),
        "{}",
        report.to_json()
    );
}

#[test]
fn without_a_date_there_is_no_timestamp_to_give() {
    let (json, report) = upgraded(&legacy("lead.note.create", r#"{"id":"n1"}"#));
    assert!(!json.contains("timestamp"));
    assert!(report.errors.iter().any(|e| e.path == "/timestamp"));
}
