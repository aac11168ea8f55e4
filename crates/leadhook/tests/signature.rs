//! `checkSignature`'s reasons (API rev 3): each way a signed delivery can fail gives its own
//! reason, for both schemes; and the JavaScript's names of each scheme's headers, which its
//! messages use, are the core's.

use hmac::{Hmac, Mac};
use leadhook::signature::{check, Check, Failure, Scheme};
use leadhook::Options;
use sha2::Sha256;

const BODY: &[u8] = br#"{"eventId":"evt_1"}"#;
const NOW: i64 = 1_773_921_600;

fn hmac(key: &[u8], text: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    mac.update(text);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

fn with(headers: &[(&str, String)]) -> Options {
    Options {
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        ..Options::default()
    }
}

fn run(scheme: Scheme, secret: &str, opts: &Options) -> Result<(), Failure> {
    let secrets = [secret.to_owned()];
    let c = Check {
        scheme,
        secrets: &secrets,
        now: NOW,
        tolerance: 300,
    };
    check(BODY, opts, &c)
}

fn v2(secret: &str, at: i64) -> Options {
    let signed = hmac(
        secret.as_bytes(),
        &[at.to_string().as_bytes(), b".", BODY].concat(),
    );
    with(&[
        ("X-Webhook-Signature", format!("sha256={}", hex(&signed))),
        ("X-Webhook-Timestamp", at.to_string()),
    ])
}

#[test]
fn lead_event_v2_reasons() {
    let scheme = Scheme::LeadEventV2;
    assert_eq!(run(scheme, "sig_1", &v2("sig_1", NOW)), Ok(()));
    assert_eq!(
        run(scheme, "sig_2", &v2("sig_1", NOW)),
        Err(Failure::SignatureMismatch)
    );
    assert_eq!(
        run(scheme, "whsec_2", &v2("sig_1", NOW)),
        Err(Failure::SecretFormat)
    );
    assert_eq!(
        run(scheme, "whsec_2", &v2("whsec_2", NOW)),
        Ok(()),
        "a whsec_ secret that signed it holds"
    );
    assert_eq!(
        run(scheme, "sig_1", &v2("sig_1", NOW - 301)),
        Err(Failure::TimestampStale)
    );
    assert_eq!(
        run(scheme, "sig_1", &v2("sig_1", NOW + 301)),
        Err(Failure::TimestampFuture)
    );
    assert_eq!(
        run(scheme, "sig_1", &with(&[])),
        Err(Failure::HeaderMissing(0))
    );
    let no_stamp = with(&[("x-webhook-signature", format!("sha256={}", "0".repeat(64)))]);
    assert_eq!(
        run(scheme, "sig_1", &no_stamp),
        Err(Failure::HeaderMissing(1))
    );
    let bad_sig = with(&[
        ("x-webhook-signature", "md5=00".into()),
        ("x-webhook-timestamp", NOW.to_string()),
    ]);
    assert_eq!(
        run(scheme, "sig_1", &bad_sig),
        Err(Failure::HeaderMalformed(0))
    );
    let bad_stamp = with(&[
        ("x-webhook-signature", format!("sha256={}", "0".repeat(64))),
        ("x-webhook-timestamp", "soon".into()),
    ]);
    assert_eq!(
        run(scheme, "sig_1", &bad_stamp),
        Err(Failure::HeaderMalformed(1))
    );
}

#[test]
fn standard_reasons() {
    let key = b"0123456789abcdef";
    let secret = format!("whsec_{}", base64(key));
    let signed = |id: &str, at: i64| {
        let mac = hmac(
            key,
            &[id.as_bytes(), b".", at.to_string().as_bytes(), b".", BODY].concat(),
        );
        with(&[
            ("webhook-id", id.to_owned()),
            ("webhook-timestamp", at.to_string()),
            ("webhook-signature", format!("v1,{}", base64(&mac))),
        ])
    };
    let scheme = Scheme::Standard;
    assert_eq!(run(scheme, &secret, &signed("msg_1", NOW)), Ok(()));
    let other = format!("whsec_{}", base64(b"fedcba9876543210"));
    assert_eq!(
        run(scheme, &other, &signed("msg_1", NOW)),
        Err(Failure::SignatureMismatch)
    );
    assert_eq!(
        run(scheme, "whsec_not base64!", &signed("msg_1", NOW)),
        Err(Failure::SecretFormat)
    );
    assert_eq!(
        run(scheme, &secret, &signed("msg_1", NOW - 400)),
        Err(Failure::TimestampStale)
    );
    assert_eq!(
        run(scheme, &secret, &signed("", NOW)),
        Err(Failure::HeaderMalformed(2))
    );
    let mut no_id = signed("msg_1", NOW);
    no_id.headers.retain(|(k, _)| k != "webhook-id");
    assert_eq!(run(scheme, &secret, &no_id), Err(Failure::HeaderMissing(2)));
}

#[test]
fn the_javascript_names_the_cores_headers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../pkg-template/api/signature.js"
    );
    let api = std::fs::read_to_string(path).unwrap();
    for (name, scheme) in [
        ("\"lead-event.v2\"", Scheme::LeadEventV2),
        ("standard", Scheme::Standard),
    ] {
        let list: Vec<String> = scheme.headers().iter().map(|h| format!("{h:?}")).collect();
        let line = format!("  {name}: [{}],", list.join(", "));
        assert!(
            api.contains(&line),
            "pkg-template/api/signature.js's SIGNATURE_HEADERS must have the line {line}"
        );
    }
}
