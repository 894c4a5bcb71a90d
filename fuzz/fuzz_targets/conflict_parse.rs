//! The conflict parser on arbitrary bytes: no panic; `render(parse(x)) == x`; chunks tile the
//! input and every span lies inside it; resolving with `ours` leaves what `check` finds as
//! remaining, and a file it resolves nothing in unchanged.

use mergemark::conflict::{parse, Block, Chunk, ParseOptions, Side};
use mergemark::lint::{check_bytes, FileContext};
use mergemark::resolve::{apply, Strategy};

fn check_block(block: &Block, len: usize) {
    assert!(block.span.start < block.span.end && block.span.end <= len);
    for section in &block.sections {
        assert!(block.span.contains(section.body));
        for inner in &section.nested {
            assert!(section.body.contains(inner.span));
            check_block(inner, len);
        }
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| {
        // The first byte picks the marker size (1 to 16), as a conflict-marker-size attribute would.
        let (size, input) = match data.split_first() {
            Some((first, rest)) => (usize::from(first % 16) + 1, rest),
            None => (7, data),
        };
        let parsed = parse(input, &ParseOptions { marker_size: size });
        assert_eq!(parsed.render(input), input);
        let mut at = 0;
        for chunk in &parsed.chunks {
            let span = match chunk {
                Chunk::Text(span) => *span,
                Chunk::Block(block) => {
                    check_block(block, input.len());
                    block.span
                }
            };
            assert_eq!(span.start, at);
            at = span.end;
        }
        assert_eq!(at, input.len());
        for anomaly in &parsed.anomalies {
            assert!(anomaly.line.end <= input.len());
        }
        // What `resolve` says remains is what `check` finds in its output; nothing resolved,
        // nothing changed; every block resolved, the ours-side reconstruction.
        let resolved = apply(input, &parsed, Strategy::Ours);
        let plain = FileContext { marker_size: size, ..FileContext::default() };
        let found = check_bytes(&resolved.bytes, &plain)
            .iter()
            .filter(|f| matches!(f.rule.name(), "conflict-marker" | "broken-conflict"))
            .count();
        if found < 1000 {
            // (Past 1,000 findings of a rule, check lists them and one that counts the rest.)
            assert_eq!(resolved.remaining, found);
        }
        if resolved.resolved == 0 {
            assert_eq!(resolved.bytes, input);
        }
        if resolved.resolved == parsed.blocks().count() && parsed.anomalies.is_empty() {
            assert_eq!(Some(resolved.bytes), parsed.choose(input, Side::Ours));
        }
        for markdown in [false, true] {
            let context = FileContext { marker_size: size, markdown, ..FileContext::default() };
            for finding in check_bytes(input, &context) {
                assert!(finding.span.start <= finding.span.end && finding.span.end <= input.len());
                for label in &finding.labels {
                    assert!(label.span.end <= input.len());
                }
            }
        }
    });
}
