//! LeadSquared's `eventType` codes (`SalesActivity_Post_Create`) and the webhook URL's query.

use crate::base::text;
use crate::engine::form::query_param;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventType {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub event_type: String,
    pub entity: String,
    /// `"GET"` or `"POST"` when the code names one.
    pub method: Option<&'static str>,
    pub action: String,
}

/// Entities whose names hold an underscore, so that the split does not cut them.
const MULTI_WORD_ENTITIES: &[&str] = &["Landing_Page"];

/// Splits an event code, or reads `entityType`, `entityId` and `eventType` from a URL (or a
/// bare query string) and splits its `eventType`.
#[inline(never)]
pub fn parse(event_type_or_url: &str) -> EventType {
    let s = event_type_or_url.trim();
    let is_url = s.contains('?') || text::contains(s, "eventType=") || text::contains(s, "://");
    let (entity_type, entity_id, code) = if is_url {
        (
            query_param(s, "entityType").map(std::borrow::Cow::into_owned),
            query_param(s, "entityId").map(std::borrow::Cow::into_owned),
            query_param(s, "eventType")
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default(),
        )
    } else {
        (None, None, s.to_owned())
    };
    let (entity, method, action) = split(&code);
    EventType {
        entity_type,
        entity_id,
        entity,
        method,
        action,
        event_type: code,
    }
}

/// `Lead_Post_Stage_Change` → (`Lead`, POST, `Stage_Change`); `Lead_Owner_Change` → (`Lead`,
/// none, `Owner_Change`); `Landing_Page_submission` → (`Landing_Page`, none, `submission`).
fn split(code: &str) -> (String, Option<&'static str>, String) {
    let parts: Vec<&str> = code.split('_').collect();
    let method_at = parts
        .iter()
        .position(|p| p.eq_ignore_ascii_case("post") || p.eq_ignore_ascii_case("get"));
    if let Some(i) = method_at.filter(|&i| i > 0) {
        let (entity, rest) = parts.split_at(i);
        let method = match rest.split_first() {
            Some((m, _)) if m.eq_ignore_ascii_case("post") => "POST",
            _ => "GET",
        };
        let action = rest.split_first().map_or(&[][..], |(_, a)| a);
        return (
            text::join(entity, "_"),
            Some(method),
            text::join(action, "_"),
        );
    }
    for entity in MULTI_WORD_ENTITIES {
        if let Some(rest) = code.strip_prefix(entity) {
            if let Some(action) = rest.strip_prefix('_') {
                return ((*entity).to_owned(), None, action.to_owned());
            }
        }
    }
    match code.split_once('_') {
        Some((entity, action)) => (entity.to_owned(), None, action.to_owned()),
        None => (code.to_owned(), None, String::new()),
    }
}

impl EventType {
    pub fn to_json(&self) -> String {
        use crate::base::json::write_string;
        let mut out = String::from("{\"entityType\":");
        let opt = |out: &mut String, v: &Option<String>| match v {
            Some(s) => write_string(out, s),
            None => out.push_str("null"),
        };
        opt(&mut out, &self.entity_type);
        out.push_str(",\"entityId\":");
        opt(&mut out, &self.entity_id);
        out.push_str(",\"eventType\":");
        write_string(&mut out, &self.event_type);
        out.push_str(",\"entity\":");
        write_string(&mut out, &self.entity);
        out.push_str(",\"method\":");
        opt(&mut out, &self.method.map(str::to_owned));
        out.push_str(",\"action\":");
        write_string(&mut out, &self.action);
        out.push('}');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_codes() {
        let e = parse("SalesActivity_Post_Create");
        assert_eq!(
            e.to_json(),
            r#"{"entityType":null,"entityId":null,"eventType":"SalesActivity_Post_Create","entity":"SalesActivity","method":"POST","action":"Create"}"#
        );
        assert_eq!(
            split("Lead_Post_Stage_Change"),
            ("Lead".into(), Some("POST"), "Stage_Change".into())
        );
        assert_eq!(
            split("Lead_Owner_Change"),
            ("Lead".into(), None, "Owner_Change".into())
        );
        assert_eq!(
            split("Landing_Page_submission"),
            ("Landing_Page".into(), None, "submission".into())
        );
        assert_eq!(
            split("OpportunityStage_Post_Update"),
            ("OpportunityStage".into(), Some("POST"), "Update".into())
        );
        assert_eq!(split("Lead"), ("Lead".into(), None, String::new()));
        assert_eq!(split(""), (String::new(), None, String::new()));
    }

    #[test]
    fn reads_urls() {
        let e = parse("https://api.example.com/leads/add?entityType=webhook&entityId=5f0c&eventType=Lead_Post_Create");
        assert_eq!(e.entity_type.as_deref(), Some("webhook"));
        assert_eq!(e.entity_id.as_deref(), Some("5f0c"));
        assert_eq!(
            (e.entity.as_str(), e.method, e.action.as_str()),
            ("Lead", Some("POST"), "Create")
        );
    }
}
