//! What the generated-input tests share.
#![allow(clippy::cast_possible_truncation)] // a random number picks an index or a byte

#[allow(dead_code)] // used by the tests of the output budget
pub mod output_budget;

/// xorshift64*: small, seeded, good enough to pick mutations; every run is the same.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    #[allow(dead_code)] // each test crate uses what it needs
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    #[allow(dead_code)]
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

/// One round of byte-level mutations of `body`: bytes flipped, the body cut, one of `special`
/// inserted (twice as likely as the others), a run repeated or removed, or up to 600 `[`.
#[allow(dead_code)]
pub fn mutate(rng: &mut Rng, body: &[u8], special: &[&[u8]]) -> Vec<u8> {
    let mut b = body.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(7) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 => b.truncate(at),
            2 | 6 => {
                let s = special[rng.below(special.len())];
                b.splice(at..at, s.iter().copied());
            }
            3 if at < b.len() => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
            4 if at < b.len() => {
                let end = (at + rng.below(16)).min(b.len());
                b.drain(at..end);
            }
            _ => b
                .splice(at..at, std::iter::repeat(b'[').take(rng.below(600)))
                .for_each(drop),
        }
    }
    b
}

/// Pieces the byte-level mutations insert: JSON's punctuation and escapes, bytes that are not
/// UTF-8, and fragments of each kind's fields.
#[allow(dead_code)]
pub const SPECIAL: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\u0041",
    b",",
    b":",
    b"=",
    b"&",
    b"%ff",
    b"\xff",
    b"\xc3",
    b"\x00",
    b"\x02",
    b"-",
    b"1e999",
    b"2.0",
    b"null",
    b"true",
    b"\"\"",
    b" \n\t ",
    b"~",
    b"/",
    "é".as_bytes(),
    "😀".as_bytes(),
    b"\"secret\":",
    b"\"apiVersion\":2,",
    b"\"apiVersion\":20e-1,",
    b"\"connectionAssets\":[{}],",
    b"\"event\":\"lead.create\",",
    b"\"event\":\"lead.track\",",
    b"\"payload\":{},",
    b"\"payload\":{\"a\":1,\"a\":2},",
    b"\"id_space\":\"x\",",
    b"\"ProspectID\":1,",
    b"\"mx_x\":{},",
    b"\"Before\":{\"mx_a\":[]},",
    b"\"After\":{\"After\":{\"OpportunityId\":\"o\"}},",
    b"\"requestUrl\":\"\",\"status\":null,",
    b"\"linkToAsset\":\"\",",
    b"\"time\":null,",
    b"\"type\":\"Page\",",
    b"\"\\u0074ype\":\"Page\",",
    b"%",
    b"\xe2\x80",
    "Σ".as_bytes(),
];

/// One case of `tests/fixtures/`: a body file and `NAME.expect.json` beside it.
#[allow(dead_code)]
pub struct Fixture {
    /// `kind/name`, without the `.expect.json`.
    pub name: String,
    pub body: Vec<u8>,
    /// The expect file's text.
    pub expect: String,
    /// Its `opts` member as JSON, or `""`.
    pub opts: String,
}

/// Every fixture, in a stable order. Panics (the test fails) on a case without exactly one body.
#[allow(dead_code)]
pub fn fixtures() -> Vec<Fixture> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.to_str().unwrap().ends_with(".expect.json") {
                out.push(path);
            }
        }
    }
    let root =
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("tests/fixtures");
    let mut expects = Vec::new();
    walk(&root, &mut expects);
    expects.sort();
    expects
        .into_iter()
        .map(|expect| {
            let file = expect.file_name().unwrap().to_str().unwrap();
            let stem = file.trim_end_matches(".expect.json").to_owned();
            let dir = expect.parent().unwrap();
            let bodies: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_str().unwrap();
                    n.starts_with(&format!("{stem}.")) && !n.ends_with(".expect.json")
                })
                .collect();
            assert_eq!(
                bodies.len(),
                1,
                "{}: expected exactly one body file beside it",
                expect.display()
            );
            let text = std::fs::read_to_string(&expect).unwrap();
            let value = leadhook::json::tree(&text, 64).unwrap();
            let opts = value
                .get("opts")
                .map(leadhook::Value::to_json)
                .unwrap_or_default();
            let name = expect.strip_prefix(&root).unwrap().display().to_string();
            Fixture {
                name: name.trim_end_matches(".expect.json").to_owned(),
                body: std::fs::read(&bodies[0]).unwrap(),
                expect: text,
                opts,
            }
        })
        .collect()
}

/// Every fixture body with its options: `(name, body, options JSON or "")`.
#[allow(dead_code)]
pub fn fixture_bodies() -> Vec<(String, Vec<u8>, String)> {
    fixtures()
        .into_iter()
        .map(|f| (f.name, f.body, f.opts))
        .collect()
}
