//! `cargo xtask senders`: each kind's sender manners (`crates/leadhook/src/kinds/sender.rs`, one entry per kind in the
//! registry) as the JavaScript object literal the receiver reads, keyed by kind name.

use leadhook::tables::{Answer, Credential, Probe};
use leadhook::KINDS;

/// `{ "leadsie.v1": { auth, credentials, probes, answer, tries, disablesAfter, marks }, … }`,
/// in detection order.
pub fn table() -> String {
    let quote = |s: &str| format!("{s:?}");
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    let or_null = |n: Option<u16>| n.map_or_else(|| "null".to_owned(), |n| n.to_string());
    let entries: Vec<String> = KINDS
        .iter()
        .map(|spec| {
            let s = spec.kind.sender();
            let credentials = s.credentials.iter().map(|c| {
                quote(match c {
                    Credential::Query => "query",
                    Credential::Header => "header",
                    Credential::BodySecret => "secret",
                    Credential::Signature => "signingSecret",
                })
            });
            let probes = s.probes.iter().map(|p| {
                quote(match p {
                    Probe::Head => "HEAD",
                    Probe::EmptyPost => "empty POST",
                })
            });
            let answer = match s.answer {
                Answer::Status => "status",
                Answer::Envelope => "envelope",
            };
            format!(
                "  {}: {{ auth: {}, credentials: {}, probes: {}, answer: {}, tries: {}, disablesAfter: {}, marks: {} }}",
                quote(spec.name),
                quote(s.auth),
                list(credentials.collect()),
                list(probes.collect()),
                quote(answer),
                or_null(s.tries.map(u16::from)),
                or_null(s.disables_after),
                list(s.marks.iter().map(|m| quote(m)).collect()),
            )
        })
        .collect();
    format!("{{\n{}\n}}", entries.join(",\n"))
}
