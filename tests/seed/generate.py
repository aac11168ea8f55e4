#!/usr/bin/env python3
"""Random Leadsie v1 webhook bodies, each with what Leadsie's own Zapier code step makes of it.

    python3 tests/seed/generate.py --count 1500 --seed 20261122

prints one JSON object per line:

    {"payload": "<the body, as JSON text>", "seed_output": <seed_flatten({'payload': text})>}

`seed_flatten` is the seed script, verbatim (`seed_script.py`). `tests/seed_parity.rs` runs this
and checks that leadhook's `flatten` gives every key of `seed_output` with the identical value.

The bodies are meant to pass leadhook's v1 validation (FORMATS.md §1): `status` and
`connectionAssets` are always there with the right types, every asset has string `type`, `name`,
`id` and boolean `isSuccess`, optional fields are of their documented type or null, URLs are
absolute http(s) and dates ISO-8601. Within that, they go after the seed's quirks: repeated and
undocumented asset types (including "User", whose prefix collides with `user_id`, non-ASCII and
Greek final-sigma types, and ""), values that `.strip(', ')` eats into, `message` missing / null
/ "", `user` missing / null / "", and a few bodies without `requestUrl` or `requestName`, on
which the seed answers {"error": ...} (the parity test skips those).

Output is a function of --count and --seed only: the same arguments give the same bytes.
"""

import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from seed_script import seed_flatten  # noqa: E402

DOCUMENTED_TYPES = ["Ad Account", "Page", "Pixel", "Instagram Account", "Catalog"]

UNDOCUMENTED_TYPES = [
    "TikTok Account",
    "Google Ads Account",
    "Meta Ad Account",
    "page",
    "PAGE",
    "ad account",
    "Ad  Account",  # two spaces: ad__account
    "Ad_Account",  # same prefix as "Ad Account": merges with it
    "Ad\tAccount",  # a tab is not replaced
    "Ad\u00a0Account",  # nor is a no-break space
    "Ad-Account",
    " Page",
    "Page ",
    "User",  # prefix "user": user_id collides with the request's user_id
    "user",
    "USER",
    "User Id",
    "Status",
    "requestUrl",
    "requestName",
    "Página Ñ",
    "ΣΊΣΥΦΟΣ",  # final sigma: σίσυφος
    "ΟΔΟΣ Account",  # final sigma before a space
    "ΑΣ.Β",  # sigma followed by a case-ignorable then a letter: not final
    "Σ",  # alone: not final
    "ΑΣΣ",  # σς
    "1Σ",  # not preceded by a cased letter: σ
    "ΑΣ\u0301",  # a combining mark (case-ignorable) before the end: ς
    "ΑΣ\u00ad Page",  # a soft hyphen (case-ignorable) then a space: ς
    "Σ'Α",
    "ᾼ Page",  # titlecase with a special lowercase
    "\u212a Kelvin",  # KELVIN SIGN lowercases to ASCII k
    "\u212b",  # ANGSTROM SIGN
    "ϴ",
    "İstanbul Page",  # İ lowercases to two code points
    "Straße",
    "ẞ Page",
    "ǅungla",  # a titlecase letter
    "Ⅻ Roman",
    "ＡＢＣ Fullwidth",
    "日本語 ページ",
    "🚀 Rocket",
    "",
    " ",
    ",",
    "Ad, Account",
]

PLAIN_NAMES = [
    "Acme Ads",
    "Main Page",
    "Website Pixel",
    "Product Catalog",
    "@acme.official",
    "act_1234567890",
    "1029384756",
    "0012",
    "1e5",
    "true",
    "None",
    "null",
    "False",
]

TRICKY_STRINGS = [
    "",
    " ",
    ",",
    ", ",
    ",,",
    " , ",
    ", x ,",
    ",leading",
    "trailing,",
    "trailing, ",
    "  padded  ",
    "Smith, Jones & Co",
    "a,b,c",
    "a, b, c",
    "Café Ñandú",
    "Ελληνικά ΣΟΦΟΣ",
    "日本語ページ",
    "Привет, мир",
    "🚀 Rocket",
    "👩‍💻 dev team",
    "🇫🇷",
    'He said "hi"',
    "back\\slash",
    "C:\\path\\to",
    "line1\nline2",
    "\n",
    ",\n,",
    "tab\tend",
    "\tlead tab",
    "nbsp\u00a0",
    "\u00a0nbsp",
    "para\u2028sep",
    "zero\u200bwidth",
    "</script>",
    "{\"json\": [1, 2]}",
    "'single'",
    "x" * 300,
    "nul\x00byte",
    "ctl\x01\x1f\x7f",
    "\u0085next line",
    "\ufeffbom",
    "\U0010ffff",
]

MESSAGES = [
    "",
    "Permission denied",
    "Permission denied, try again",
    "(#100) Missing permissions, code: 190",
    ", leading comma",
    "trailing comma,",
    "User already has access.",
    "Invite sent to agency@example.com",
    "Erreur : accès refusé",
    "line one\nline two",
    "None",
    "True",
    " ",
    ",",
]

USERS = [
    "user123456",
    "SOME_UNIQUE_STRING",
    "a, b",
    ", padded ,",
    " ",
    "None",
    "Zoë",
    "😀",
    "0",
]

REQUEST_NAMES = [
    "Client onboarding",
    "Acme, Inc. — Meta access",
    "Ñandú SA",
    "",
    " ",
    ", ",
    "req\nname",
    "\"quoted\"",
]

URL_BASES = [
    "https://app.leadsie.com/connect/",
    "http://app.leadsie.com/connect/",
    "https://connect.example-agency.com/r/",
    "HTTPS://APP.LEADSIE.COM/connect/",
    "https://app.leadsie.com:8443/connect/",
    "https://münchen.example/connect/",
    "http://127.0.0.1:3000/connect/",
]

TIMES = [
    "2024-03-01T10:00:00.000Z",
    "2024-03-01T10:00:00Z",
    "2024-02-29T23:59:59.999Z",
    "2025-12-31T00:00:00+02:00",
    "2026-01-22T15:41:36.080-05:00",
    "2024-03-01",
    "2024-03-01T10:00:00",
]

STATUSES = ["SUCCESS", "PARTIAL_SUCCESS", "FAILED"]

ALPHABET = "abcXYZ019 ,,  ,é€ΣσΩ日🙂\"\\\n\t_-."


def hex_id(rng, n=24):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def random_text(rng, max_len=12):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, max_len)))


def text_value(rng):
    """A name or an id: plain, tricky, random or a mix of them."""
    r = rng.random()
    if r < 0.35:
        return rng.choice(PLAIN_NAMES)
    if r < 0.7:
        return rng.choice(TRICKY_STRINGS)
    if r < 0.85:
        return random_text(rng)
    return rng.choice(TRICKY_STRINGS) + rng.choice(PLAIN_NAMES) + rng.choice(TRICKY_STRINGS)


def asset_type(rng, used):
    r = rng.random()
    if used and r < 0.35:
        return rng.choice(used)  # a repeated type: its values are joined
    if r < 0.7:
        return rng.choice(DOCUMENTED_TYPES)
    if r < 0.95:
        return rng.choice(UNDOCUMENTED_TYPES)
    return random_text(rng, 6)


def shuffled(rng, pairs):
    """A dict whose key order is `pairs` shuffled (field order is not meaningful)."""
    pairs = list(pairs)
    rng.shuffle(pairs)
    return dict(pairs)


def make_asset(rng, used):
    t = asset_type(rng, used)
    used.append(t)
    fields = [
        ("type", t),
        ("name", text_value(rng)),
        ("id", text_value(rng)),
        ("isSuccess", rng.random() < 0.7),
    ]
    r = rng.random()
    if r < 0.25:
        pass  # message missing
    elif r < 0.4:
        fields.append(("message", None))
    elif r < 0.55:
        fields.append(("message", ""))
    elif r < 0.9:
        fields.append(("message", rng.choice(MESSAGES)))
    else:
        fields.append(("message", text_value(rng)))
    r = rng.random()
    if r < 0.7:
        fields.append(("time", rng.choice(TIMES)))
    elif r < 0.8:
        fields.append(("time", None))
    if rng.random() < 0.3:
        fields.append(("inviteSentTo", rng.choice(["agency@example.com", "", "Ágata, Ops", None])))
    if rng.random() < 0.05:
        fields.append(("platform", rng.choice(["Meta", "Google", None, 3, {"nested": [1, "x"]}])))
    return shuffled(rng, fields)


def make_payload(rng):
    count = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8])
    used = []
    assets = [make_asset(rng, used) for _ in range(count)]
    fields = [("status", rng.choice(STATUSES)), ("connectionAssets", assets)]

    r = rng.random()
    if r < 0.55:
        fields.append(("user", rng.choice(USERS)))
    elif r < 0.7:
        fields.append(("user", ""))
    elif r < 0.8:
        fields.append(("user", None))
    # else: user absent

    # >90% carry both requestUrl and requestName; without either the seed answers {"error": ...}.
    r = rng.random()
    if r < 0.96:
        url = rng.choice(URL_BASES) + hex_id(rng)
        if rng.random() < 0.3:
            url += "?customUserId=" + rng.choice(["user123456", "a%2C%20b", "%C3%A9"])
        if rng.random() < 0.1:
            url += "#frag"
        fields.append(("requestUrl", url))
    elif r < 0.98:
        fields.append(("requestUrl", None))
    r = rng.random()
    if r < 0.5:
        fields.append(("requestName", hex_id(rng)))
    elif r < 0.96:
        fields.append(("requestName", rng.choice(REQUEST_NAMES + [text_value(rng)])))
    elif r < 0.98:
        fields.append(("requestName", None))

    if rng.random() < 0.5:
        fields.append(("clientName", rng.choice(["Acme", "Acme, Inc.", "", "Ñandú", None])))
    if rng.random() < 0.4:
        fields.append(
            ("clientSummaryUrl", rng.choice(["https://app.leadsie.com/summary/" + hex_id(rng), None]))
        )
    if rng.random() < 0.6:
        fields.append(("accessLevel", rng.choice(["view", "admin", None])))
    if rng.random() < 0.02:
        fields.append(("apiVersion", 1))  # not 2, so still v1 (a warning)
    if rng.random() < 0.04:
        # Undocumented request-level fields, some named like the seed's output keys.
        fields.append(
            rng.choice(
                [
                    ("customField", "x"),
                    ("page_id", "from-envelope"),
                    ("user_id", "from-envelope"),
                    ("extra", {"nested": True}),
                ]
            )
        )
    return shuffled(rng, fields)


def dump(rng, payload):
    ensure_ascii = rng.random() < 0.5
    style = rng.choice(["compact", "default", "indent2", "indent4", "tab"])
    if style == "compact":
        text = json.dumps(payload, ensure_ascii=ensure_ascii, separators=(",", ":"))
    elif style == "default":
        text = json.dumps(payload, ensure_ascii=ensure_ascii)
    elif style == "indent2":
        text = json.dumps(payload, ensure_ascii=ensure_ascii, indent=2)
    elif style == "indent4":
        text = json.dumps(payload, ensure_ascii=ensure_ascii, indent=4)
    else:
        text = json.dumps(payload, ensure_ascii=ensure_ascii, indent="\t")
    r = rng.random()
    if r < 0.05:
        # "/" occurs only inside strings in this JSON text, so "\/" is always a valid escape.
        text = text.replace("/", "\\/")
    elif r < 0.1:
        # Upper-case hex digits in \u escapes (only escapes, not an escaped backslash + "u").
        text = re.sub(
            r"(?<!\\)((?:\\\\)*)\\u([0-9a-f]{4})",
            lambda m: m.group(1) + "\\u" + m.group(2).upper(),
            text,
        )
    if rng.random() < 0.05:
        # A letter of a member name written as a \u escape: the name is the same once decoded.
        # (Replacing inside any string is harmless too: the decoded text does not change.)
        key = rng.choice(["type", "name", "id", "isSuccess", "message", "user", "requestName"])
        i = rng.randrange(1, len(key))
        text = text.replace(f'"{key}"', f'"{key[:i]}\\u{ord(key[i]):04x}{key[i + 1:]}"')
    if rng.random() < 0.05:
        text = rng.choice(["\n", " ", "\r\n", "\t"]) + text + rng.choice(["\n", "  ", ""])
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    out = sys.stdout.buffer
    for _ in range(args.count):
        payload = make_payload(rng)
        text = dump(rng, payload)
        assert json.loads(text) == payload, text
        line = json.dumps(
            {"payload": text, "seed_output": seed_flatten({"payload": text})},
            ensure_ascii=False,
        )
        out.write(line.encode("utf-8") + b"\n")
    out.flush()


if __name__ == "__main__":
    main()
