//! What `validate` returns: the kind, the errors and the warnings.

use crate::issue::Issue;
use crate::json::{write_array, write_string};
use crate::Kind;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub kind: Option<Kind>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Report {
    /// A report of one error that stopped the reading.
    pub fn failed(kind: Option<Kind>, error: Issue) -> Report {
        Report {
            kind,
            errors: vec![error],
            warnings: Vec::new(),
        }
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// `{"ok":…,"kind":…,"errors":[…],"warnings":[…]}`, the shape of the JS `Report`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str(if self.ok() {
            "{\"ok\":true,\"kind\":"
        } else {
            "{\"ok\":false,\"kind\":"
        });
        match self.kind {
            Some(kind) => write_string(out, kind.as_str()),
            None => out.push_str("null"),
        }
        out.push_str(",\"errors\":");
        write_issues(out, &self.errors);
        out.push_str(",\"warnings\":");
        write_issues(out, &self.warnings);
        out.push('}');
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

pub fn write_issues(out: &mut String, issues: &[Issue]) {
    write_array(out, issues, |out, issue| issue.write_json(out));
}
