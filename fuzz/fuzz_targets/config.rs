//! The configuration parser on arbitrary text: no panic; a configuration that loads can check a
//! document.

use std::path::Path;

use mergemark::lint::{check_file, FileContext};

const DOCUMENT: &[u8] = b"# Runbook\n## Purpose\nRestart the queue.\n## Steps\n- one\n- two\n";

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(settings) = mergemark::config::parse(text, Path::new("mergemark.toml")) {
            let context = FileContext { markdown: true, ..FileContext::default() };
            let mut findings =
                check_file(DOCUMENT, &context, "runbooks/r.md", &settings.schemas, false);
            settings.levels.apply(&mut findings);
            for finding in findings {
                assert!(finding.span.end <= DOCUMENT.len());
            }
        }
    });
}
