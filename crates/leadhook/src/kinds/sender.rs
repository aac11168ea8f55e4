//! Each kind's sender manners, as data: how it checks a new endpoint, how it wants to be
//! answered, whether it retries, where its credentials may be. The receiver (the package's
//! `receiver.js`) reads them from the table `cargo xtask senders` writes; nothing in the
//! WebAssembly module reads them.

/// Where a sender can put the credential a receiver checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A query parameter of the webhook URL: `{ query, value }`.
    Query,
    /// A request header: `{ header, value }`.
    Header,
    /// A top-level `secret` member of the body: `{ secret }`.
    BodySecret,
    /// An HMAC signature over the raw body: `{ signingSecret }`.
    Signature,
}

/// A request by which a sender checks an endpoint before it sends events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Head,
    /// A `POST` with an empty body.
    EmptyPost,
}

/// How a sender reads an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// By its HTTP status: 2xx is delivered, anything else failed.
    Status,
    /// Always 200, with `{"Status": "Success" | "Error", "StatusReason"}`: any other status is a
    /// failure that counts towards disabling the endpoint.
    Envelope,
}

/// How one kind's sender behaves around a delivery.
#[derive(Debug)]
pub struct Sender {
    /// The name of the `auth` entry that covers the kind (both Leadsie versions share one).
    pub auth: &'static str,
    /// Where its credentials may be, in the order a receiver should look.
    pub credentials: &'static [Credential],
    /// How it checks a new endpoint.
    pub probes: &'static [Probe],
    pub answer: Answer,
    /// How many tries it makes in all, where documented.
    pub tries: Option<u8>,
    /// After how many failures in a row it disables the endpoint, where documented.
    pub disables_after: Option<u16>,
    /// Query parameters that only its deliveries carry, which tell its requests apart before
    /// the body is read.
    pub marks: &'static [&'static str],
}
