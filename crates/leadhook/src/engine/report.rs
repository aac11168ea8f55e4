//! What `validate` returns: the kind, the errors and the warnings.

use crate::base::issue::{Issue, Problem};
use crate::base::json::{write_array, write_string};
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

/// One list of a report being built: it lists at most `max` issues, and stops listing once
/// their pointers and messages hold `budget` bytes; the rest are only counted, so a body that
/// repeats one mistake a million times costs a count, not a million pointers.
#[derive(Debug)]
pub struct IssueList {
    issues: Vec<Issue>,
    left_out: usize,
    max: usize,
    budget: usize,
    bytes: usize,
}

impl IssueList {
    pub fn new(max: usize, budget: usize) -> IssueList {
        IssueList {
            issues: Vec::new(),
            left_out: 0,
            max,
            budget,
            bytes: 0,
        }
    }

    /// Whether one more issue would be listed.
    pub fn has_room(&self) -> bool {
        self.issues.len() < self.max && self.bytes < self.budget
    }

    /// Lists the issue `make` builds, or, with no room left, counts it without building it.
    pub fn push_with(&mut self, make: impl FnOnce() -> Issue) {
        if self.has_room() {
            let issue = make();
            self.bytes += issue.path.len() + issue.message.len();
            self.issues.push(issue);
        } else {
            self.left_out += 1;
        }
    }

    /// Whether an issue inserted at `at` (see [`IssueList::insert`]) could be listed: not when
    /// the list is full and it would come after everything listed.
    pub fn keeps_at(&self, at: usize) -> bool {
        at < self.issues.len() || self.has_room()
    }

    /// Counts issues that will not be listed, without building them.
    pub fn count(&mut self, n: usize) {
        self.left_out += n;
    }

    /// How many issues are listed so far.
    pub fn len(&self) -> usize {
        self.issues.len()
    }

    /// Inserts issues that belong before those listed from `at` on, keeping the limits: what no
    /// longer fits comes off the end (the last in document order) and is counted.
    pub fn insert(&mut self, at: usize, issues: Vec<Issue>) {
        let at = at.min(self.issues.len());
        self.bytes += issues
            .iter()
            .map(|i| i.path.len() + i.message.len())
            .sum::<usize>();
        self.issues.splice(at..at, issues);
        while self.issues.len() > self.max || (self.bytes > self.budget && self.issues.len() > 1) {
            match self.issues.pop() {
                Some(issue) => {
                    self.bytes -= issue.path.len() + issue.message.len();
                    self.left_out += 1;
                }
                None => break,
            }
        }
    }

    /// The listed issues, ended by a `report.truncated` entry when some were left out.
    pub fn finish(mut self, errors: bool) -> Vec<Issue> {
        if self.left_out > 0 {
            self.issues.push(Issue::whole(Problem::Truncated {
                count: self.left_out,
                limit: self.max,
                errors,
            }));
        }
        self.issues
    }
}
