//! Leadsie v1 and v2 flattened as the seed code step does, so that Zaps built on its keys keep
//! working: `user_id`, `requestUrl`, `requestName`, and per asset type `{prefix}_id`,
//! `{prefix}_name`, `{prefix}_is_success`, `{prefix}_message`, joined with `", "` across assets
//! of one type. v2 adds its own fields under their own keys.

use std::borrow::Cow;
use std::ops::Bound;

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use super::{v1, v2};
use crate::base::json::{same, Value};
use crate::base::text::KeyMap;
use crate::engine::rules::{Field, ObjectSchema, Presence, Type};
use crate::flat::{Flat, Scalar};
use crate::{Kind, Options};

/// An asset field beyond the seed's, and the key it gets under the asset type's prefix: its
/// name in snake case, a nested object's fields each under its own (`connected_account_id`).
struct AssetKey {
    field: &'static Field,
    /// The field's place in its table, and in an asset's [`Fields`].
    index: usize,
    sub: Option<&'static str>,
    suffix: String,
}

impl AssetKey {
    /// The field's value in an asset, when it is there in the shape the table gives it (an
    /// optional container of another shape gives no key).
    fn value<'v, 'a>(&self, asset: Fields<'_, 'v, 'a>) -> Option<&'v Value<'a>> {
        let v = asset.get(self.index)?;
        let fits = match self.field.ty {
            Type::ArrayOf(_) => matches!(v, Value::Array(_)),
            Type::StringOrStrings => matches!(v, Value::String(_) | Value::Array(_)),
            _ => true,
        };
        match self.sub {
            Some(sub) => v.get(sub),
            None => fits.then_some(v),
        }
    }
}

/// `linkToAsset` → `link_to_asset`.
fn snake_case(name: &str) -> String {
    let mut out = Vec::with_capacity(name.len() + 4);
    for &b in name.as_bytes() {
        if b.is_ascii_uppercase() {
            out.extend_from_slice(&[b'_', b.to_ascii_lowercase()]);
        } else {
            out.push(b);
        }
    }
    // Only ASCII bytes were added or changed, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// How a kind's asset table is read: where the fields the seed reads are in it, and the keys
/// the others add. Built once per kind.
struct Layout {
    table: &'static ObjectSchema,
    /// Every field after the seed's `type`, `name` and `id`, v1-only fields left out, in table
    /// order: the keys a flat record or row adds, derived so that a field added to the table
    /// appears in `flatten` and `rows` with no other change.
    keys: Vec<AssetKey>,
    /// The places of `type`, `id`, `name`, and of what the seed's `{prefix}_is_success` and
    /// `{prefix}_message` come from (v1 `isSuccess` and `message`, v2 `connectionStatus` and
    /// `notes`). A name the table lacks gets `usize::MAX`, a place no asset fills.
    ty: usize,
    id: usize,
    name: usize,
    success: usize,
    message: usize,
    /// Every documented asset type (and, in v2, its v1 label) with its prefix and the keys its
    /// group gives, made with the layout: a payload of documented types allocates no key.
    known: Vec<Known>,
    /// The field of each of the first members of the last asset read (see
    /// [`Layout::fields_of_all`]).
    hint: Hint,
}

/// A field's place per member, for an asset's first [`HINTS`] members (an asset has a dozen),
/// `u8::MAX` for none. The layout is shared, so the places are atomic; relaxed, since a hint is
/// checked before it is used.
struct Hint([AtomicU8; HINTS]);

const HINTS: usize = 32;

impl Hint {
    fn new() -> Hint {
        Hint(std::array::from_fn(|_| AtomicU8::new(u8::MAX)))
    }

    fn get(&self) -> [u8; HINTS] {
        let mut places = [u8::MAX; HINTS];
        for (place, hint) in places.iter_mut().zip(&self.0) {
            *place = hint.load(Ordering::Relaxed);
        }
        places
    }

    fn set(&self, places: [u8; HINTS]) {
        for (place, hint) in places.iter().zip(&self.0) {
            hint.store(*place, Ordering::Relaxed);
        }
    }
}

/// A documented asset type's label, its prefix, and its group's keys: the seed's four, then one
/// per [`Layout::keys`].
struct Known {
    label: &'static str,
    prefix: String,
    keys: Vec<String>,
}

impl Layout {
    fn of(kind: Kind) -> Layout {
        let table = asset_schema(kind);
        let place = |name| table.place(name).map_or(usize::MAX, |(i, _)| i);
        let (success, message) = seed_sources(kind);
        let mut layout = Layout {
            table,
            keys: Vec::new(),
            ty: place("type"),
            id: place("id"),
            name: place("name"),
            success: place(success),
            message: place(message),
            known: Vec::new(),
            hint: Hint::new(),
        };
        for (index, field) in table.all_fields().enumerate() {
            let seed = [layout.ty, layout.name, layout.id].contains(&index);
            if seed || field.presence == Presence::Deprecated {
                continue;
            }
            let mut key = |sub: Option<&'static str>, suffix: String| {
                layout.keys.push(AssetKey {
                    field,
                    index,
                    sub,
                    suffix,
                });
            };
            match field.ty {
                Type::Object(inner) => {
                    for sub in inner.all_fields() {
                        let suffix = key_of(&snake_case(field.name), &snake_case(sub.name));
                        key(Some(sub.name), suffix);
                    }
                }
                _ => key(None, snake_case(field.name)),
            }
        }
        let types = match table.field_at(layout.ty).map(|f| &f.ty) {
            Some(Type::Enum(types)) => types.values,
            _ => &[],
        };
        for &t in types {
            let v1 = v1_label(t).filter(|_| kind != Kind::LeadsieV1);
            for label in std::iter::once(t).chain(v1) {
                let prefix = prefix(label);
                let suffixes = SEED_SUFFIXES.iter().copied();
                let suffixes = suffixes.chain(layout.keys.iter().map(|k| k.suffix.as_str()));
                let keys = suffixes.map(|suffix| key_of(&prefix, suffix)).collect();
                layout.known.push(Known {
                    label,
                    prefix,
                    keys,
                });
            }
        }
        layout
    }

    /// The documented type labelled `label`.
    fn known(&self, label: &str) -> Option<&Known> {
        self.known.iter().find(|k| same(k.label, label))
    }

    /// Every asset's [`Fields`], found in one pass over each asset's members rather than by a
    /// search per field. Assets mostly list their members in the same order, in one payload and
    /// from one payload to the next, so each member is first tried as the field the member in
    /// its place was in the asset before (the last call's, for the first).
    ///
    /// The places take a pointer per field of the table and asset, 100 bytes in WebAssembly:
    /// about what the four members every valid asset has take in the tree, and a third of a
    /// typical asset's. A byte each instead (the member's position) made flatten 1.5% slower
    /// on 60 assets.
    fn fields_of_all<'v, 'a>(&self, assets: &'v [Value<'a>]) -> AssetFields<'v, 'a> {
        let width = self.table.all_fields().count().max(1);
        let mut all = vec![None; assets.len() * width];
        let mut hint = self.hint.get();
        for (asset, places) in assets.iter().zip(all.chunks_mut(width)) {
            let Some(members) = asset.as_object() else {
                continue;
            };
            for (j, (key, value)) in members.iter().enumerate() {
                let hinted = hint
                    .get(j)
                    .map(|&i| usize::from(i))
                    .filter(|&i| self.table.field_at(i).is_some_and(|f| same(f.name, key)));
                let Some(i) = hinted.or_else(|| self.table.place(key).map(|(i, _)| i)) else {
                    continue;
                };
                if let (Some(h), Ok(i)) = (hint.get_mut(j), u8::try_from(i)) {
                    *h = i;
                }
                // Forward, so that the last member of a name is kept, as `Value::get` finds.
                if let Some(place) = places.get_mut(i) {
                    *place = Some(value);
                }
            }
        }
        self.hint.set(hint);
        AssetFields { width, all }
    }
}

/// Every asset's [`Fields`], one after another.
struct AssetFields<'v, 'a> {
    width: usize,
    all: Vec<Option<&'v Value<'a>>>,
}

impl<'v, 'a> AssetFields<'v, 'a> {
    fn iter(&self) -> impl Iterator<Item = Fields<'_, 'v, 'a>> {
        self.all.chunks(self.width).map(Fields)
    }

    /// The fields of the asset at `place` in the list.
    fn of(&self, place: usize) -> Fields<'_, 'v, 'a> {
        let start = place * self.width;
        Fields(self.all.get(start..start + self.width).unwrap_or_default())
    }
}

/// One asset's members by its table's fields, each the last member of its name, as
/// `Value::get` finds it (see [`Layout::fields_of_all`]).
#[derive(Clone, Copy)]
struct Fields<'s, 'v, 'a>(&'s [Option<&'v Value<'a>>]);

impl<'v, 'a> Fields<'_, 'v, 'a> {
    fn get(self, place: usize) -> Option<&'v Value<'a>> {
        self.0.get(place).copied().flatten()
    }
}

/// A kind's [`Layout`]; built once.
fn layout(kind: Kind) -> &'static Layout {
    static V1: OnceLock<Layout> = OnceLock::new();
    static V2: OnceLock<Layout> = OnceLock::new();
    match kind {
        Kind::LeadsieV1 => V1.get_or_init(|| Layout::of(kind)),
        _ => V2.get_or_init(|| Layout::of(kind)),
    }
}

/// The fields the seed's `{prefix}_is_success` and `{prefix}_message` come from.
fn seed_sources(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::LeadsieV1 => ("isSuccess", "message"),
        _ => ("connectionStatus", "notes"),
    }
}

fn asset_schema(kind: Kind) -> &'static ObjectSchema {
    match kind {
        Kind::LeadsieV1 => &v1::ASSET,
        _ => &v2::ASSET,
    }
}

fn request_schema(kind: Kind) -> &'static ObjectSchema {
    match kind {
        Kind::LeadsieV1 => &v1::REQUEST,
        _ => &v2::REQUEST,
    }
}

/// The v1 label of a v2 asset type whose label changed, so v1 keys (`page_id`) stay filled.
pub fn v1_label(v2_type: &str) -> Option<&'static str> {
    Some(match v2_type {
        "Meta Ad Account" => "Ad Account",
        "Facebook Page" => "Page",
        "Meta Pixel" => "Pixel",
        "Facebook Catalog" => "Catalog",
        _ => return None,
    })
}

/// The v2 label of a v1 asset type (the inverse of [`v1_label`]).
pub fn v2_label(v1_type: &str) -> Option<&'static str> {
    Some(match v1_type {
        "Ad Account" => "Meta Ad Account",
        "Page" => "Facebook Page",
        "Pixel" => "Meta Pixel",
        "Catalog" => "Facebook Catalog",
        _ => return None,
    })
}

/// The seed's key prefix: `type.lower().replace(' ', '_')`.
pub fn prefix(asset_type: &str) -> String {
    // In place, byte by byte: both are one byte, so the text stays UTF-8.
    let mut bytes = crate::base::lowercase::lower(asset_type).into_bytes();
    for b in &mut bytes {
        if *b == b' ' {
            *b = b'_';
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Python's `.strip(', ')`: any run of commas and spaces off both ends. By bytes (both are
/// ASCII, so every cut is at a character) rather than std's `trim_matches`, one more copy of
/// its generic code in the `.wasm`.
fn strip(s: &str) -> &str {
    let bytes = s.as_bytes();
    // Most values have nothing to strip.
    if let (Some(first), Some(last)) = (bytes.first(), bytes.last()) {
        if kept(first) && kept(last) {
            return s;
        }
    }
    let start = bytes.iter().position(kept).unwrap_or(bytes.len());
    rstrip(s.get(start..).unwrap_or_default())
}

/// Python's `.rstrip(', ')`.
fn rstrip(s: &str) -> &str {
    let end = s.as_bytes().iter().rposition(kept).map_or(0, |i| i + 1);
    s.get(..end).unwrap_or_default()
}

/// A byte `strip` keeps.
#[allow(clippy::trivially_copy_pass_by_ref)] // the shape `position` calls
fn kept(b: &u8) -> bool {
    *b != b',' && *b != b' '
}

/// `buf = f"{buf}, {value}".strip(', ')`, as the seed joins an asset type's values. `buf` is
/// already stripped, so only an empty one loses `value`'s leading commas and spaces, and only
/// `value`'s trailing ones go: nothing written is ever cut again.
fn join_seed(buf: &mut String, value: &str) {
    if buf.is_empty() {
        // f"{''}, {value}".strip(', ') is value.strip(', ').
        buf.push_str(strip(value));
        return;
    }
    let value = rstrip(value);
    if !value.is_empty() {
        buf.push_str(", ");
        buf.push_str(value);
    }
}

/// One value as [`join_seed_all`] gives it alone: stripped, and still a slice of the payload's
/// string when it is one (stripping only narrows it), so a key of one asset allocates nothing.
fn strip_cow(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(s) => Cow::Borrowed(strip(s)),
        Cow::Owned(s) => {
            let stripped = strip(&s);
            if stripped.len() == s.len() {
                Cow::Owned(s)
            } else {
                Cow::Owned(stripped.to_owned())
            }
        }
    }
}

/// `values` joined by [`join_seed`] after `joined`, in one string sized for them all (one
/// value alone: see [`strip_cow`]).
fn join_seed_all<'a>(joined: Cow<'a, str>, values: &[Cow<'a, str>]) -> Cow<'a, str> {
    if values.is_empty() {
        return joined;
    }
    let room = joined.len() + values.iter().map(|v| v.len() + 2).sum::<usize>();
    let mut buf = String::with_capacity(room);
    let mut rest = values;
    if let (false, Some((first, others))) = (joined.is_empty(), values.split_first()) {
        // `joined` (the request's `user`) may not be stripped: its first join is made whole.
        buf.push_str(&join_seed_once(&joined, first));
        rest = others;
    }
    for value in rest {
        join_seed(&mut buf, value);
    }
    Cow::Owned(buf)
}

/// `f"{buf}, {value}".strip(', ')` for any `buf`, stripped or not.
fn join_seed_once(buf: &str, value: &str) -> String {
    let mut joined = String::with_capacity(buf.len() + 2 + value.len());
    joined.push_str(buf);
    joined.push_str(", ");
    joined.push_str(value);
    strip(&joined).to_owned()
}

/// Merges a repeated key's later value into the earlier one as the seed does.
#[allow(clippy::needless_pass_by_value)] // the shape `Flat::resolve` calls
fn merge_seed<'a>(earlier: &mut Scalar<'a>, later: Scalar<'a>) {
    let joined = join_seed_once(&earlier.python_text(), &later.python_text());
    *earlier = Scalar::String(Cow::Owned(joined));
}

/// A value as text for joining: strings as they are, booleans as Python prints them, arrays of
/// strings (`platformPermissionsGranted`) and of users (`assignedUsers`, by name) joined.
fn asset_text<'a>(v: Option<&Value<'a>>) -> Cow<'a, str> {
    match v {
        None | Some(Value::Null | Value::Object(_)) => Cow::Borrowed(""),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let mut joined = String::new();
            let texts = items.iter().filter_map(|i| match i {
                Value::Object(_) => i.get("name").and_then(Value::as_str),
                _ => i.as_str(),
            });
            for (n, text) in texts.enumerate() {
                if n > 0 {
                    joined.push_str(", ");
                }
                joined.push_str(text);
            }
            Cow::Owned(joined)
        }
        // As Python prints them, without a copy: a number's text, True and False.
        Some(Value::Number(n)) => n.clone(),
        Some(Value::Bool(true)) => Cow::Borrowed("True"),
        Some(Value::Bool(false)) => Cow::Borrowed("False"),
    }
}

fn scalar<'a>(v: Option<&Value<'a>>) -> Scalar<'a> {
    v.and_then(Scalar::from_value).unwrap_or(Scalar::Null)
}

fn api_version<'a>(kind: Kind, payload: &Value<'a>) -> Scalar<'a> {
    match kind {
        Kind::LeadsieV1 => Scalar::Number(Cow::Borrowed("1")),
        _ => scalar(payload.get("apiVersion")),
    }
}

/// The request's scalar fields, in table order: the seed's `user_id`, `requestUrl` and
/// `requestName`, then the others, `apiVersion` last; with room for `room` keys more.
fn request<'a>(kind: Kind, payload: &Value<'a>, room: usize) -> Flat<'a> {
    let schema = request_schema(kind);
    let mut out = Flat::new();
    out.reserve(schema.all_fields().count() + room);
    let scalars = schema
        .all_fields()
        .filter(|f| !matches!(f.ty, Type::ArrayOf(_) | Type::Object(_)));
    // A table's names are distinct and none is `user_id`, so each key is pushed, not looked for.
    for field in scalars {
        let (key, value) = match field.name {
            // The seed: `actual_payload.get('user', '')`.
            "user" => (
                "user_id",
                payload
                    .get("user")
                    .map_or(Scalar::str(""), |v| scalar(Some(v))),
            ),
            "apiVersion" => ("apiVersion", api_version(kind, payload)),
            name => (name, scalar(payload.get(name))),
        };
        out.push(key, value);
    }
    out
}

fn assets<'v, 'a>(payload: &'v Value<'a>) -> &'v [Value<'a>] {
    payload
        .get("connectionAssets")
        .and_then(Value::as_array)
        .unwrap_or_default()
}

/// The assets of one key prefix, by their place in the list, in order: `seed` gives the seed's
/// four keys, `full` (v2) the v2 fields too. A v2 asset whose label changed is also in the
/// group of its v1 label's prefix, for the seed's keys only.
struct Group {
    /// Borrowed from the layout for a documented type.
    prefix: Cow<'static, str>,
    /// The group's keys, when its type is documented (see [`Layout::known`]).
    known: Option<&'static [String]>,
    seed: Vec<usize>,
    full: Vec<usize>,
}

/// How many asset types [`groups`] knows by their text.
const FEW_TYPES: usize = 16;

/// The assets grouped by prefix, in the order each prefix is first seen.
fn groups(kind: Kind, layout: &'static Layout, fields: &AssetFields<'_, '_>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_prefix = KeyMap::new();
    let mut group_of = |groups: &mut Vec<Group>, label: &str| -> usize {
        let known = layout.known(label);
        let prefix = known.map_or_else(
            || Cow::Owned(prefix(label)),
            |k| Cow::Borrowed(k.prefix.as_str()),
        );
        *by_prefix.entry(prefix).or_insert_with_key(|p| {
            groups.push(Group {
                prefix: p.clone(),
                known: known.map(|k| k.keys.as_slice()),
                seed: Vec::new(),
                full: Vec::new(),
            });
            groups.len() - 1
        })
    };
    // The groups of the first asset types seen, its own and its v1 label's, found by the type's
    // text: a type's prefix is made once, not per asset. Past those, by the prefix, so that
    // many types stay n log n.
    let mut seen = [("", 0, None); FEW_TYPES];
    let mut known = 0;
    for (a, asset) in fields.iter().enumerate() {
        let asset_type = asset.get(layout.ty).and_then(Value::as_str).unwrap_or("");
        let few = seen.get(..known).unwrap_or_default();
        let (own, v1) = if let Some(&(_, own, v1)) = few.iter().find(|(t, ..)| same(t, asset_type))
        {
            (own, v1)
        } else {
            let own = group_of(&mut groups, asset_type);
            let v1 = v1_label(asset_type)
                .filter(|_| kind != Kind::LeadsieV1)
                .map(|v1| group_of(&mut groups, v1));
            if let Some(slot) = seen.get_mut(known) {
                *slot = (asset_type, own, v1);
                known += 1;
            }
            (own, v1)
        };
        if let Some(group) = groups.get_mut(own) {
            group.seed.push(a);
            if kind != Kind::LeadsieV1 {
                group.full.push(a);
            }
        }
        if let Some(group) = v1.and_then(|g| groups.get_mut(g)) {
            group.seed.push(a);
        }
    }
    groups
}

/// The seed's value at `place` among its four of an asset (id, name, is_success, message), as
/// text.
fn seed_value<'a>(
    kind: Kind,
    layout: &Layout,
    asset: Fields<'_, '_, 'a>,
    place: usize,
) -> Cow<'a, str> {
    match (place, kind) {
        (0, _) => asset_text(asset.get(layout.id)),
        (1, _) => asset_text(asset.get(layout.name)),
        (2, Kind::LeadsieV1) => asset_text(asset.get(layout.success)),
        (2, _) => {
            let connected = asset.get(layout.success).and_then(Value::as_str) == Some("Connected");
            Cow::Borrowed(if connected { "True" } else { "False" })
        }
        // `item.get('message', '')`: an absent message is "", a null one prints as None.
        (_, Kind::LeadsieV1) => match asset.get(layout.message) {
            None => Cow::Borrowed(""),
            Some(Value::Null) => Cow::Borrowed("None"),
            Some(v) => asset_text(Some(v)),
        },
        _ => asset_text(asset.get(layout.message)),
    }
}

/// `{prefix}_{suffix}`, built without the formatting machinery (this runs per key).
fn key_of(prefix: &str, suffix: &str) -> String {
    let mut key = String::with_capacity(prefix.len() + 1 + suffix.len());
    key.push_str(prefix);
    key.push('_');
    key.push_str(suffix);
    key
}

/// The key at `place` among a group's keys (see [`Layout::known`]): borrowed from the layout
/// when the prefix is a documented type's, else `{prefix}_{suffix}`.
fn group_key<'k>(
    known: Option<&'k [String]>,
    place: usize,
    prefix: &str,
    suffix: &str,
) -> Cow<'k, str> {
    match known.and_then(|k| k.get(place)) {
        Some(key) => Cow::Borrowed(key),
        None => Cow::Owned(key_of(prefix, suffix)),
    }
}

/// Whether one prefix continues another past an underscore (`x` and `x_connection`): only then
/// can two groups' keys be the same.
fn prefixes_nest<'p>(prefixes: impl Iterator<Item = &'p str> + Clone) -> bool {
    let continues = |p: &str, q: &str| {
        q.len() > p.len() && q.starts_with(p) && q.as_bytes().get(p.len()) == Some(&b'_')
    };
    // A payload has a few asset types: each pair is compared. Past that, in order in a KeyMap
    // (rather than sorted: a sort's code is large in the .wasm), each prefix against the first
    // at or after it plus `_`, so that many types stay n log n.
    if prefixes.clone().count() <= 8 {
        return prefixes
            .clone()
            .any(|p| prefixes.clone().any(|q| continues(p, q)));
    }
    let mut sorted = KeyMap::new();
    for p in prefixes {
        sorted.insert(Cow::Borrowed(p), 0);
    }
    let mut longer = String::new();
    sorted.keys().any(|p| {
        longer.clear();
        longer.push_str(p);
        longer.push('_');
        sorted
            .range::<str, _>((Bound::Included(longer.as_str()), Bound::Unbounded))
            .next()
            .is_some_and(|(q, _)| continues(p, q))
    })
}

const SEED_SUFFIXES: [&str; 4] = ["id", "name", "is_success", "message"];

pub fn flatten<'a>(kind: Kind, payload: &Value<'a>) -> Flat<'a> {
    let layout = layout(kind);
    let fields = layout.fields_of_all(assets(payload));
    let groups = groups(kind, layout, &fields);
    // Room for every key the groups can add: grown from the request's, the record was copied
    // several times.
    let room = groups
        .iter()
        .map(|g| {
            SEED_SUFFIXES.len()
                + if g.full.is_empty() {
                    0
                } else {
                    layout.keys.len()
                }
        })
        .sum();
    let mut out = request(kind, payload, room);
    // One asset's values of one key at a time, reused from key to key.
    // (Only a group of more than one asset uses them.)
    let most = groups.iter().map(|g| g.seed.len()).max().unwrap_or(0);
    let mut texts: Vec<Cow<'a, str>> = Vec::with_capacity(if most > 1 { most } else { 0 });
    for group in &groups {
        let known = group.known;
        for (i, suffix) in SEED_SUFFIXES.iter().enumerate() {
            let key = group_key(known, i, &group.prefix, suffix);
            // Only `user_id` (an asset of type "User") can already hold a value here.
            let collides = key == "user_id";
            let joined = match (group.seed.as_slice(), collides) {
                // One asset (the usual case): its value alone.
                ([only], false) => strip_cow(seed_value(kind, layout, fields.of(*only), i)),
                (assets, _) => {
                    let existing = match collides.then(|| out.get(&key)).flatten() {
                        Some(existing) => Cow::Owned(existing.python_text().into_owned()),
                        _ => Cow::Borrowed(""),
                    };
                    texts.clear();
                    texts.extend(
                        assets
                            .iter()
                            .map(|&a| seed_value(kind, layout, fields.of(a), i)),
                    );
                    join_seed_all(existing, &texts)
                }
            };
            if collides {
                out.set(key, Scalar::String(joined));
            } else {
                out.push(key, Scalar::String(joined));
            }
        }
        if group.full.is_empty() {
            continue;
        }
        for (j, extra) in layout.keys.iter().enumerate() {
            // A field none of the group's assets carries gives no key: the record holds what
            // the payload holds (rows still give every row every key).
            let carried = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
            let joined = match group.full.as_slice() {
                // One asset (the usual case): its value alone.
                [only] => match extra.value(fields.of(*only)) {
                    value if carried(value) => strip_cow(asset_text(value)),
                    _ => continue,
                },
                assets => {
                    texts.clear();
                    let mut any = false;
                    for &asset in assets {
                        let value = extra.value(fields.of(asset));
                        any |= carried(value);
                        texts.push(asset_text(value));
                    }
                    if !any {
                        continue;
                    }
                    join_seed_all(Cow::Borrowed(""), &texts)
                }
            };
            let key = group_key(known, SEED_SUFFIXES.len() + j, &group.prefix, &extra.suffix);
            out.push(key, Scalar::String(joined));
        }
    }
    // Keys of different prefixes meet only when one prefix continues another past an underscore
    // (a type "x connection" against "x"'s `x_connection_status`); then they are joined like
    // the seed joins.
    if prefixes_nest(groups.iter().map(|g| g.prefix.as_ref())) {
        out.resolve(merge_seed);
    }
    out
}

pub fn flatten_v1<'a>(payload: &Value<'a>, _opts: &Options) -> Flat<'a> {
    flatten(Kind::LeadsieV1, payload)
}

pub fn flatten_v2<'a>(payload: &Value<'a>, _opts: &Options) -> Flat<'a> {
    flatten(Kind::LeadsieV2, payload)
}

pub fn rows_v1<'a>(payload: &Value<'a>, _opts: &Options) -> Vec<Flat<'a>> {
    rows(Kind::LeadsieV1, payload)
}

pub fn rows_v2<'a>(payload: &Value<'a>, _opts: &Options) -> Vec<Flat<'a>> {
    rows(Kind::LeadsieV2, payload)
}

/// One row per asset, the request's fields repeated; a request with no assets gives one row
/// with empty asset fields, so that it is not lost.
pub fn rows<'a>(kind: Kind, payload: &Value<'a>) -> Vec<Flat<'a>> {
    let request = request(kind, payload, 0);
    let fresh = row_keys_are_new(kind);
    let list = assets(payload);
    if list.is_empty() {
        return vec![row(kind, &request, None, fresh)];
    }
    let fields = layout(kind).fields_of_all(list);
    fields
        .iter()
        .map(|a| row(kind, &request, Some(a), fresh))
        .collect()
}

/// The asset fields a row adds under their own keys: a field the row already holds unchanged
/// under the seed's name is not repeated, the message always, v1's `isSuccess` too (v2's
/// `is_success` is derived, its status kept).
fn row_extras(kind: Kind) -> impl Iterator<Item = &'static AssetKey> + Clone {
    let (success, message) = seed_sources(kind);
    layout(kind).keys.iter().filter(move |k| {
        k.field.name != message && !(kind == Kind::LeadsieV1 && k.field.name == success)
    })
}

/// The row of one asset (none: the request alone, its asset fields null): the request's
/// fields, then the asset's five seed fields and its extra ones. With `fresh` (see
/// [`row_keys_are_new`]) each is appended; else set, keeping the place of a key the request
/// has.
fn row<'a>(
    kind: Kind,
    request: &Flat<'a>,
    asset: Option<Fields<'_, '_, 'a>>,
    fresh: bool,
) -> Flat<'a> {
    let layout = layout(kind);
    // Room for the five seed fields and every asset key (the extras are all but one or two).
    let mut row = request.copy_with_room(5 + layout.keys.len());
    let mut put = |key: &'static str, value: Scalar<'a>| {
        if fresh {
            row.push(key, value);
        } else {
            row.set(key, value);
        }
    };
    let get = |place: usize| asset.and_then(|a| a.get(place));
    put("type", scalar(get(layout.ty)));
    put("id", scalar(get(layout.id)));
    put("name", scalar(get(layout.name)));
    let (is_success, message) = match (kind, asset) {
        (_, None) => (Scalar::Null, Scalar::Null),
        (Kind::LeadsieV1, Some(_)) => (scalar(get(layout.success)), scalar(get(layout.message))),
        (_, Some(_)) => (
            Scalar::Bool(get(layout.success).and_then(Value::as_str) == Some("Connected")),
            scalar(get(layout.message)),
        ),
    };
    put("is_success", is_success);
    put("message", message);
    for key in row_extras(kind) {
        let value = match asset.and_then(|a| key.value(a)) {
            Some(v @ Value::Array(_)) => Scalar::String(asset_text(Some(v))),
            v => scalar(v),
        };
        put(key.suffix.as_str(), value);
    }
    row
}

/// Whether every key a row adds is new: none is one of the request's, and none comes twice.
/// Then a row's keys are appended rather than each looked for among those before it. Found
/// once per kind from its tables, as the row of an empty request with no asset: it has one
/// entry more per key only if none was set in place of another.
fn row_keys_are_new(kind: Kind) -> bool {
    static V1: OnceLock<bool> = OnceLock::new();
    static V2: OnceLock<bool> = OnceLock::new();
    let find = || {
        let empty = Value::Object(Vec::new());
        let request = request(kind, &empty, 0);
        row(kind, &request, None, false).len() == request.len() + 5 + row_extras(kind).count()
    };
    match kind {
        Kind::LeadsieV1 => *V1.get_or_init(find),
        _ => *V2.get_or_init(find),
    }
}

#[cfg(test)]
mod tests {
    use crate::Options;

    #[test]
    fn strip_is_pythons() {
        for s in [
            "",
            ",",
            " , ",
            "a",
            ", a ,",
            "a, b",
            " é ,",
            ",,x,,y,,",
            "\u{a0}a\u{a0}",
        ] {
            assert_eq!(super::strip(s), s.trim_matches([',', ' ']), "{s:?}");
        }
    }

    #[test]
    fn joins_are_pythons() {
        // The seed: `buf = f"{buf}, {value}".strip(', ')` for each value in turn.
        let values = ["", ",", " , ", "a", " a", "a ,", ", b,", "é,", "c"];
        let mut sequences: Vec<Vec<&str>> = vec![vec![]];
        for _ in 0..3 {
            let longer: Vec<Vec<&str>> = sequences
                .iter()
                .flat_map(|seq| values.iter().map(move |v| [seq.clone(), vec![*v]].concat()))
                .collect();
            sequences.extend(longer);
        }
        for seq in sequences {
            let python = seq.iter().fold(String::new(), |buf, v| {
                format!("{buf}, {v}").trim_matches([',', ' ']).to_owned()
            });
            let mut buf = String::new();
            for v in &seq {
                super::join_seed(&mut buf, v);
            }
            assert_eq!(buf, python, "{seq:?}");
            let texts: Vec<_> = seq.iter().map(|v| std::borrow::Cow::Borrowed(*v)).collect();
            let all = super::join_seed_all(std::borrow::Cow::Borrowed(""), &texts);
            assert_eq!(all, python, "{seq:?}");
            // From a value the seed did not strip (the request's `user`, then assets "User").
            for start in [" ", "u ,", " u", ","] {
                let python = seq.iter().fold(start.to_owned(), |buf, v| {
                    format!("{buf}, {v}").trim_matches([',', ' ']).to_owned()
                });
                let all = super::join_seed_all(std::borrow::Cow::Borrowed(start), &texts);
                assert_eq!(all, python, "{start:?} then {seq:?}");
            }
        }
    }

    #[test]
    fn keys_of_nested_prefixes_are_joined_once() {
        // "X"'s `x_connected_account_id` is also "X Connected Account"'s seed key.
        let body = br#"{"apiVersion":2,"requestUrl":"https://a.b/","requestName":"n","status":"SUCCESS",
            "connectionAssets":[
              {"type":"X","name":"x","id":"1","connectionStatus":"Connected","connectedAccount":{"id":"acc"}},
              {"type":"X Connected Account","name":"y","id":"2","connectionStatus":"Connected"}]}"#;
        let flat = crate::flatten(body, &Options::default()).expect("valid");
        let keys: Vec<&str> = flat.keys().collect();
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "repeated keys in {keys:?}");
        assert_eq!(
            flat.get("x_connected_account_id")
                .map(|v| v.text().into_owned())
                .as_deref(),
            Some("acc, 2")
        );
    }

    #[test]
    fn a_documented_types_keys_are_the_ones_its_prefix_makes() {
        use crate::Kind;
        for kind in [Kind::LeadsieV1, Kind::LeadsieV2] {
            let layout = super::layout(kind);
            // v1's five types; v2's 28 and the v1 labels of four.
            assert!(layout.known.len() >= 5, "{kind:?}");
            for known in &layout.known {
                let (prefix, keys) = (&known.prefix, &known.keys);
                assert_eq!(*prefix, super::prefix(known.label));
                assert!(layout
                    .known(known.label)
                    .is_some_and(|k| k.prefix == *prefix));
                let seed = super::SEED_SUFFIXES.map(|s| super::key_of(prefix, s));
                let (seeds, extras) = keys.split_at(super::SEED_SUFFIXES.len());
                assert_eq!(seeds, seed);
                let extra: Vec<String> = layout
                    .keys
                    .iter()
                    .map(|k| super::key_of(prefix, &k.suffix))
                    .collect();
                assert_eq!(extras, extra);
            }
            assert!(layout.known("Not a documented type").is_none());
        }
        assert!(super::layout(Kind::LeadsieV2)
            .known("Page")
            .is_some_and(|k| k.keys[0] == "page_id"));
    }

    #[test]
    fn row_keys_are_appended_only_when_that_is_setting_them() {
        use crate::Kind;
        // Today's tables add no key twice and none the request has.
        assert!(super::row_keys_are_new(Kind::LeadsieV1));
        assert!(super::row_keys_are_new(Kind::LeadsieV2));
        let body = std::fs::read(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
                .join("tests/fixtures/leadsie-v2/vendor-sample.json"),
        )
        .expect("fixture");
        let payload = crate::engine::walker::tree(std::str::from_utf8(&body).expect("utf-8"), 64)
            .expect("json");
        let request = super::request(Kind::LeadsieV2, &payload, 0);
        let fields = super::layout(Kind::LeadsieV2).fields_of_all(super::assets(&payload));
        for asset in fields.iter().map(Some).chain([None]) {
            assert_eq!(
                super::row(Kind::LeadsieV2, &request, asset, true),
                super::row(Kind::LeadsieV2, &request, asset, false)
            );
        }
    }

    #[test]
    fn an_assets_fields_are_what_get_finds() {
        use crate::Kind;
        // Members in the order before them and not, repeated, unknown, missing; assets that
        // are not objects; more members than the asset before had.
        let body = r#"[
            {"type":"A","id":"1","name":"n","notes":"x"},
            {"type":"B","id":"2","name":"m","notes":"y"},
            {"id":"3","type":"C","x":1,"name":"o","id":"3b"},
            "not an asset", null, [],
            {"x":1,"y":2,"type":"D","name":"p","id":"4","notes":"z","time":"t","id":"4b"},
            {"type":"E","type":"E2","connectedAccount":{"id":"c"}},
            {}
        ]"#;
        let assets = crate::engine::walker::tree(body, 8).expect("json");
        let assets = assets.as_array().expect("array");
        for kind in [Kind::LeadsieV1, Kind::LeadsieV2] {
            let layout = super::layout(kind);
            let fields = layout.fields_of_all(assets);
            assert_eq!(fields.iter().count(), assets.len());
            for (i, asset) in assets.iter().enumerate() {
                for (place, field) in layout.table.all_fields().enumerate() {
                    let found = fields.of(i).get(place);
                    let got = asset.get(field.name);
                    assert!(
                        match (found, got) {
                            (Some(a), Some(b)) => std::ptr::eq(a, b),
                            (None, None) => true,
                            _ => false,
                        },
                        "{kind:?}: asset {i}, {}: {found:?} against {got:?}",
                        field.name
                    );
                }
            }
        }
    }

    #[test]
    fn prefixes_nest_only_past_an_underscore() {
        let nest = |p: &[&str]| super::prefixes_nest(p.iter().copied());
        assert!(nest(&["x_connected_account", "x"]));
        assert!(!nest(&["page", "pages", "page-x", "facebook_page"]));
        assert!(!nest(&[]));
        // Past eight types, the ordered way: the same answers.
        let many = |last: &'static str| {
            let mut p: Vec<&str> = vec!["a", "b", "c", "d", "e_", "f", "g", "h", "i"];
            p.push(last);
            p
        };
        assert!(nest(&many("c_x")));
        assert!(nest(&many("e__")));
        assert!(!nest(&many("cx")));
        assert!(!nest(&many("j")));
    }
}
