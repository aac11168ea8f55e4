//! Leadsie v1: assets carry `isSuccess` and `message`; there is no `apiVersion`.

use super::{REQUEST_ACCESS_LEVEL, STATUS};
use crate::engine::rules::{doc, type_name, Field, ObjectSchema, Others, Type, Vocabulary};
use crate::kinds::facts::Facts;
use crate::kinds::{About, KindSpec, Upgrade};
use crate::Kind;

pub static ASSET_TYPES: Vocabulary = Vocabulary {
    name: type_name("LeadsieV1AssetType"),
    doc: doc("The documented Leadsie v1 asset types."),
    what: "v1 asset type",
    values: &[
        "Ad Account",
        "Page",
        "Pixel",
        "Instagram Account",
        "Catalog",
    ],
};

pub static ASSET: ObjectSchema = ObjectSchema {
    name: type_name("LeadsieV1Asset"),
    doc: doc("One connected asset of a Leadsie v1 payload."),
    fields: &[&[
        Field::required("type", Type::Enum(&ASSET_TYPES)),
        Field::required("name", Type::String),
        Field::required("id", Type::String),
        Field::required("isSuccess", Type::Boolean),
        Field::optional("message", Type::String).doc("Raw error text."),
        Field::optional("time", Type::IsoDate),
        Field::optional("inviteSentTo", Type::String),
    ]],
    others: Others::Undocumented,
};

static ASSET_TYPE: Type = Type::Object(&ASSET);

pub static REQUEST: ObjectSchema = ObjectSchema {
    name: type_name("LeadsieV1Payload"),
    doc: doc("A Leadsie v1 webhook body (no `apiVersion`)."),
    fields: &[&[
        Field::optional("user", Type::String)
            .doc("The connect page's `customUserId`; may be absent, `null` or `\"\"`."),
        Field::optional("requestUrl", Type::Url),
        Field::optional("requestName", Type::String),
        Field::required("status", Type::Enum(&STATUS)),
        Field::optional("accessLevel", Type::Enum(&REQUEST_ACCESS_LEVEL)),
        Field::optional("clientName", Type::String),
        Field::optional("clientSummaryUrl", Type::Url),
        // v1 has no version number: any number here is one leadhook does not know.
        Field::optional(
            "apiVersion",
            Type::NumberEnum(&[], "apiVersion (read as v1)"),
        )
        .doc("Absent in v1 (a number other than 2 is read as v1, with a warning)."),
        Field::required("connectionAssets", Type::ArrayOf(&ASSET_TYPE)),
    ]],
    others: Others::Undocumented,
};

static ROOT: Type = Type::Object(&REQUEST);

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::LeadsieV1,
    name: "leadsie.v1",
    root: &ROOT,
    // After v2 in detection order: any other Leadsie body is v1.
    detect: |facts: &Facts, _| facts.is_leadsie(),
    identity: super::identity,
    flatten: crate::kinds::leadsie::flatten::flatten_v1,
    rows: crate::kinds::leadsie::flatten::rows_v1,
    flat_cost: None,
    request: None,
    upgrade: Upgrade::To(|data, _| super::upgrade::v1_to_v2(data)),
};

pub static ABOUT: About = About {
    title: "Leadsie v1",
    description: "Leadsie webhook payload, v1",
    type_name: "LeadsieV1Payload",
    sender: &super::SENDER,
};
