//! Leadsie v2: `apiVersion: 2`, assets with `connectionStatus`, `notes` and richer detail.

use super::{REQUEST_ACCESS_LEVEL, STATUS};
use crate::engine::rules::{doc, type_name, Field, ObjectSchema, Others, Type, Vocabulary};
use crate::kinds::facts::Facts;
use crate::kinds::{About, KindSpec, Upgrade};
use crate::Kind;

pub static ASSET_TYPES: Vocabulary = Vocabulary {
    name: type_name("LeadsieV2AssetType"),
    doc: doc("The documented Leadsie v2 asset types."),
    what: "v2 asset type",
    values: &[
        "Meta Ad Account",
        "Facebook Page",
        "Facebook Catalog",
        "Meta Pixel",
        "Meta Dataset",
        "Instagram Account",
        "Google Analytics Account",
        "Google My Business Location",
        "Google Search Console",
        "Google Merchant Center",
        "Google Tag Manager",
        "Google Ads Account",
        "TikTok Advertiser Account",
        "LinkedIn Company Page",
        "LinkedIn Ad Account",
        "Shopify Store",
        "WordPress Site",
        "Squarespace Website",
        "Klaviyo Account",
        "YouTube Channel",
        "Microsoft Ads",
        "Mailchimp Account",
        "Pinterest Ad Account",
        "GoDaddy Account",
        "HubSpot Account",
        "Yelp Business Account",
        "X Profile",
        "X Ads",
        "Snapchat Business Account",
    ],
};

pub static CONNECTION_STATUS: Vocabulary = Vocabulary {
    name: type_name("ConnectionStatus"),
    doc: doc("A v2 asset's connection status (replaces v1 `isSuccess`)."),
    what: "connection status",
    values: &[
        "Connected",
        "In progress",
        "Unknown",
        "Insufficient permissions",
        "Not Connected",
    ],
};

pub static ASSET_ACCESS_LEVEL: Vocabulary = Vocabulary {
    name: type_name("AssetAccessLevel"),
    doc: doc("A v2 asset's access level (a different vocabulary from the request's)."),
    what: "asset access level",
    values: &["Manage", "ViewOnly", "Owner"],
};

pub static ASSIGNED_USER: ObjectSchema = ObjectSchema {
    name: type_name("AssignedUser"),
    doc: doc("A user assigned to a v2 asset."),
    fields: &[&[
        Field::optional("id", Type::String),
        Field::optional("name", Type::String),
        Field::optional("role", Type::String),
        Field::optional("isSuccess", Type::Boolean),
    ]],
    others: Others::Undocumented,
};

pub static CONNECTED_ACCOUNT: ObjectSchema = ObjectSchema {
    name: type_name("ConnectedAccount"),
    doc: doc("The account a v2 asset was granted to (replaces v1 `inviteSentTo`)."),
    fields: &[&[
        Field::optional("id", Type::String),
        Field::optional("name", Type::String),
    ]],
    others: Others::Undocumented,
};

static ASSIGNED_USER_TYPE: Type = Type::Object(&ASSIGNED_USER);

pub static ASSET: ObjectSchema = ObjectSchema {
    name: type_name("LeadsieV2Asset"),
    doc: doc("One connected asset of a Leadsie v2 payload."),
    fields: &[&[
        Field::required("type", Type::Enum(&ASSET_TYPES)),
        Field::required("name", Type::String),
        Field::required("id", Type::String).doc("Meta ad account ids may carry an `act_` prefix."),
        Field::required("connectionStatus", Type::Enum(&CONNECTION_STATUS)),
        Field::optional("notes", Type::String).doc("Replaces v1 `message`."),
        Field::optional("time", Type::IsoDate),
        Field::optional("statusLastCheckedAt", Type::IsoDate),
        Field::optional("wasInitialGrantSuccessful", Type::Boolean),
        Field::optional("linkToAsset", Type::Url),
        Field::optional("accessLevel", Type::Enum(&ASSET_ACCESS_LEVEL)),
        Field::optional("platform", Type::String)
            .doc("`\"Meta\"`, `\"Google\"`, `\"LinkedIn\"`, …"),
        Field::optional("connectedAccount", Type::Object(&CONNECTED_ACCOUNT)),
        Field::optional("assignedUsers", Type::ArrayOf(&ASSIGNED_USER_TYPE)),
        Field::optional("wasInvitedByEmail", Type::Boolean),
        Field::optional("wasCreatedByLeadsie", Type::Boolean),
        Field::optional("wasGrantedViaAssetType", Type::String)
            .doc("e.g. `\"Facebook Page\"` for an Instagram account."),
        Field::optional("platformPermissionsGranted", Type::StringOrStrings)
            .doc("A string or an array of strings: the vendor's two docs disagree."),
        Field::optional("googleBusinessProfileLocationMapsUri", Type::String),
        Field::optional("googleBusinessProfileLocationReviewUri", Type::String),
        Field::optional("googleBusinessProfileLocationPlaceId", Type::String),
        Field::optional("shopifyCollaboratorCode", Type::String),
        Field::optional("messageFromUser", Type::String),
        Field::deprecated("isSuccess", Type::Boolean).doc("See `connectionStatus`."),
        Field::deprecated("message", Type::String).doc("See `notes`."),
        Field::deprecated("inviteSentTo", Type::String).doc("See `connectedAccount`."),
    ]],
    others: Others::Undocumented,
};

static ASSET_TYPE: Type = Type::Object(&ASSET);

pub static REQUEST: ObjectSchema = ObjectSchema {
    name: type_name("LeadsieV2Payload"),
    doc: doc("A Leadsie v2 webhook body."),
    fields: &[&[
        Field::optional("user", Type::String)
            .doc("The connect page's `customUserId`; may be absent, `null` or `\"\"`."),
        // Expected, not required: v2 did not change the request's fields (FORMATS.md revision
        // 3, item 16); a body without them is read with a warning.
        Field::expected("requestUrl", Type::Url),
        Field::expected("requestName", Type::String),
        Field::required("status", Type::Enum(&STATUS)),
        Field::optional("accessLevel", Type::Enum(&REQUEST_ACCESS_LEVEL)),
        Field::optional("clientName", Type::String),
        Field::optional("clientSummaryUrl", Type::Url),
        // Typed `2 | undefined` by the vendor's own code: its absence is only a warning.
        Field::expected("apiVersion", Type::Version)
            .doc("`2`; absent, `\"2\"` or a larger number is read as v2 with a warning."),
        Field::required("connectionAssets", Type::ArrayOf(&ASSET_TYPE)),
    ]],
    others: Others::Undocumented,
};

static ROOT: Type = Type::Object(&REQUEST);

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::LeadsieV2,
    name: "leadsie.v2",
    root: &ROOT,
    detect: |facts: &Facts, _| facts.is_leadsie() && facts.is_leadsie_v2(),
    identity: super::identity,
    flatten: crate::kinds::leadsie::flatten::flatten_v2,
    rows: crate::kinds::leadsie::flatten::rows_v2,
    flat_cost: None,
    request: None,
    upgrade: Upgrade::Current,
};

pub static ABOUT: About = About {
    title: "Leadsie v2",
    description: "Leadsie webhook payload, v2",
    type_name: "LeadsieV2Payload",
    sender: &super::SENDER,
};
