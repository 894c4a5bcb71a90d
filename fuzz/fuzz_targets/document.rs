//! The Markdown outline and the schema validation on arbitrary UTF-8 (conflicted or not): no panic,
//! every section and finding span inside the text, and the outline read a line at a time (plain
//! Markdown) equal to the full parse's.

use mergemark::lint::{check_file, FileContext};
use mergemark::markdown::outline;
use mergemark::schema::SchemaSet;

fn main() {
    let schemas = SchemaSet::new(Vec::new(), true);
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let built = outline::build(text);
        assert_eq!(built, outline::parse(text), "{text:?}");
        for section in &built.sections {
            assert!(section.heading.end <= text.len());
            assert!(text.is_char_boundary(section.heading.start));
        }
        for block in &built.blocks {
            assert!(block.span.end <= text.len());
        }
        // Named like a postmortem, so the schema always applies.
        let context = FileContext { markdown: true, ..FileContext::default() };
        for finding in check_file(data, &context, "postmortems/incident.md", &schemas, true) {
            assert!(finding.span.start <= finding.span.end && finding.span.end <= data.len());
        }
    });
}
