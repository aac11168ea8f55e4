//! Prints the payload part of `index.d.ts`, from the kinds' tables (scripts/build.sh runs it).
fn main() {
    print!("{}", leadhook::typescript::payload_types());
}
