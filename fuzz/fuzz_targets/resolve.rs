//! Parse, resolve, render: every strategy, the section-aware merge, the candidates, the diffs and
//! base recovery on arbitrary bytes. No panic; a strategy that resolves nothing changes nothing;
//! resolving every sound block with ours or theirs leaves no block behind that was not inside a
//! chosen side.

use mergemark::conflict::{parse, ParseOptions};
use mergemark::resolve::known_base::align;
use mergemark::resolve::{apply, apply_with, candidate, diff, sections, Strategy};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        // Bytes after a 0xFF split the input: the file, then a reference merge for base recovery.
        let (input, reference) = match data.iter().position(|&b| b == 0xFF) {
            Some(at) => (&data[..at], &data[at + 1..]),
            None => (data, &[][..]),
        };
        let parsed = parse(input, &ParseOptions::default());
        for strategy in [Strategy::Ours, Strategy::Theirs, Strategy::Base, Strategy::Union, Strategy::Auto] {
            let result = apply(input, &parsed, strategy);
            assert!(result.remaining >= parsed.anomalies.len());
            if result.resolved == 0 && strategy != Strategy::Auto {
                assert_eq!(result.bytes, input);
            }
            if matches!(strategy, Strategy::Ours | Strategy::Theirs) {
                // What is left are only blocks the chosen sides themselves held.
                let nested: usize = parsed.blocks().map(|b| b.nested_count()).sum();
                let again = parse(&result.bytes, &ParseOptions::default());
                if result.remaining == 0 {
                    assert!(again.blocks().count() <= nested);
                }
            }
        }
        let known = align(input, &parsed, reference);
        for unit in &known {
            assert!(unit.span.end <= input.len());
        }
        let _ = apply_with(input, &parsed, Strategy::Auto, &known);
        let _ = diff::region_diffs(input, &parsed);
        for block in parsed.blocks() {
            let _ = sections::merge(input, block);
            let _ = candidate::candidates(input, block, None, false);
            let _ = candidate::candidates(input, block, None, true);
        }
    });
}
