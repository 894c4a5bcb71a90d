//! Property tests for the conflict parser on generated documents.

use mergemark::conflict::{parse, Block, Chunk, ConflictedText, ParseOptions, Side};
use mergemark::lint::{check_bytes, FileContext};
use proptest::prelude::*;

/// Lines that look like markers, fences or Markdown syntax, and plain text.
fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        Just("<<<<<<< HEAD".to_owned()),
        Just("<<<<<<<".to_owned()),
        Just("=======".to_owned()),
        Just("======= x".to_owned()),
        Just("||||||| base".to_owned()),
        Just(">>>>>>> topic".to_owned()),
        Just(">>>>>>>".to_owned()),
        Just("<<<<<<<<< inner".to_owned()),
        Just("=========".to_owned()),
        Just(">>>>>>>>> inner".to_owned()),
        Just("-------".to_owned()),
        Just("%%%%%%% diff".to_owned()),
        Just("+++++++ side".to_owned()),
        Just("\\\\\\\\\\\\\\ note".to_owned()),
        Just("<<<<<<< conflict 1 of 1".to_owned()),
        Just("```".to_owned()),
        Just("~~~ text".to_owned()),
        Just("<!-- mergemark-disable -->".to_owned()),
        Just("\u{feff}x".to_owned()),
    ]
}

/// Join lines with random line endings, an optional BOM and an optional final newline.
fn document(lines: Vec<String>, crlf: Vec<bool>, bom: bool, final_newline: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        out.extend_from_slice(line.as_bytes());
        if i + 1 < count || final_newline {
            out.extend_from_slice(if crlf.get(i).copied().unwrap_or(false) {
                b"\r\n"
            } else {
                b"\n"
            });
        }
    }
    out
}

fn arbitrary_document() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(any_line(), 0..40),
        prop::collection::vec(any::<bool>(), 40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, bom, final_newline)| document(lines, crlf, bom, final_newline))
}

fn check_block_spans(block: &Block, len: usize) {
    assert!(block.span.end <= len);
    assert_eq!(block.start.line.start, block.span.start);
    assert_eq!(block.end.line.end, block.span.end);
    let mut at = block.start.line.end;
    for section in &block.sections {
        if let Some(marker) = section.marker {
            assert_eq!(marker.line.start, at, "sections are contiguous");
            at = marker.line.end;
        }
        for note in &section.notes {
            assert_eq!(note.line.start, at);
            at = note.line.end;
        }
        assert_eq!(section.body.start, at);
        at = section.body.end;
        for inner in &section.nested {
            assert!(
                section.body.contains(inner.span),
                "nested blocks lie in their section"
            );
            check_block_spans(inner, len);
        }
    }
    assert_eq!(block.end.line.start, at);
}

fn check_tiling(parsed: &ConflictedText, input: &[u8]) {
    let mut at = 0;
    for chunk in &parsed.chunks {
        let span = match chunk {
            Chunk::Text(span) => *span,
            Chunk::Block(block) => {
                check_block_spans(block, input.len());
                block.span
            }
        };
        assert_eq!(span.start, at, "chunks are contiguous");
        assert!(!span.is_empty(), "no empty chunks");
        at = span.end;
    }
    assert_eq!(at, input.len(), "chunks cover the input");
    for anomaly in &parsed.anomalies {
        assert!(anomaly.line.end <= input.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn render_of_parse_is_identity(input in arbitrary_document(), size in 3usize..10) {
        let parsed = parse(&input, &ParseOptions { marker_size: size });
        prop_assert_eq!(parsed.render(&input), input.clone());
        check_tiling(&parsed, &input);
    }

    #[test]
    fn findings_lie_inside_the_input(input in arbitrary_document(), markdown in any::<bool>()) {
        let context = FileContext { markdown, ..FileContext::default() };
        for finding in check_bytes(&input, &context) {
            prop_assert!(finding.span.start < finding.span.end && finding.span.end <= input.len());
            for label in &finding.labels {
                prop_assert!(label.span.end <= input.len());
            }
        }
    }

    /// Blocks built the way Git writes them, around sides of plain text, are found exactly, and
    /// taking one side everywhere gives that side's document.
    #[test]
    fn generated_blocks_are_recovered(
        pieces in prop::collection::vec(
            (
                prop::collection::vec("[a-z ]{0,10}", 0..4),
                prop::collection::vec("[a-z ]{0,10}", 0..4),
                prop::option::of(prop::collection::vec("[a-z ]{0,10}", 0..3)),
                prop::collection::vec("[a-z ]{0,10}", 0..4),
            ),
            0..6,
        ),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let lines = |v: &[String]| v.iter().map(|l| format!("{l}{eol}")).collect::<String>();
        let (mut file, mut ours, mut theirs) = (String::new(), String::new(), String::new());
        for (clean, our_side, base, their_side) in &pieces {
            file += &lines(clean);
            ours += &lines(clean);
            theirs += &lines(clean);
            file += &format!("<<<<<<< HEAD{eol}{}", lines(our_side));
            if let Some(base) = base {
                file += &format!("||||||| base{eol}{}", lines(base));
            }
            file += &format!("======={eol}{}>>>>>>> topic{eol}", lines(their_side));
            ours += &lines(our_side);
            theirs += &lines(their_side);
        }
        let input = file.into_bytes();
        let parsed = parse(&input, &ParseOptions::default());
        prop_assert!(parsed.anomalies.is_empty());
        prop_assert_eq!(parsed.blocks().count(), pieces.len());
        prop_assert!(parsed.blocks().all(|b| b.problems.is_empty()));
        prop_assert_eq!(parsed.choose(&input, Side::Ours), Some(ours.into_bytes()));
        prop_assert_eq!(parsed.choose(&input, Side::Theirs), Some(theirs.into_bytes()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The resolver never panics, never loses the text outside conflicts, and leaves exactly the
    /// input when it resolves nothing.
    #[test]
    fn resolving_is_total_and_keeps_what_it_does_not_touch(input in arbitrary_document()) {
        use mergemark::resolve::{apply, candidate, diff, sections, Strategy};
        let parsed = parse(&input, &ParseOptions::default());
        for strategy in [Strategy::Ours, Strategy::Theirs, Strategy::Base, Strategy::Union, Strategy::Auto] {
            let result = apply(&input, &parsed, strategy);
            if result.resolved == 0 && strategy != Strategy::Auto {
                prop_assert_eq!(&result.bytes, &input);
            }
            prop_assert!(result.remaining >= parsed.anomalies.len());
        }
        let _ = diff::region_diffs(&input, &parsed);
        for block in parsed.blocks() {
            let _ = sections::merge(&input, block);
            let kinds: Vec<candidate::CandidateKind> = candidate::candidates(&input, block, None, false).iter().map(|c| c.kind).collect();
            let mut unique = kinds.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), kinds.len());
        }
    }
}

/// Lines from a small vocabulary, so that generated sides often share lines with the text
/// around them (the case where lining stretches up could go wrong).
fn few_lines(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![Just("a"), Just("b"), Just("## H"), Just("")].prop_map(str::to_owned),
        0..max,
    )
}

/// Ours (or theirs) of one stretch of a parsed file: clean text as it is, each block's side.
fn side_of_stretch(
    input: &[u8],
    parsed: &ConflictedText,
    span: mergemark::span::Span,
    side: Side,
) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in &parsed.chunks {
        match chunk {
            Chunk::Text(text) => {
                let (start, end) = (text.start.max(span.start), text.end.min(span.end));
                if start < end {
                    out.extend_from_slice(&input[start..end]);
                }
            }
            Chunk::Block(block) if span.contains(block.span) => {
                out.extend_from_slice(&block.side_bytes(input, side).unwrap_or_default());
            }
            Chunk::Block(_) => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A recovered base is trusted only for a stretch that reads, with ours chosen, exactly as
    /// the reference's ours, and with theirs chosen as its theirs; the resolver then never panics.
    #[test]
    fn recovered_bases_only_for_stretches_that_read_as_the_reference(
        pieces in prop::collection::vec((few_lines(3), few_lines(3), few_lines(3)), 1..5),
        regions in prop::collection::vec((few_lines(2), few_lines(3), few_lines(3), few_lines(3), few_lines(2)), 1..5),
        tail in few_lines(3),
    ) {
        use mergemark::resolve::known_base::{align, REFERENCE_MARKER_SIZE};
        use mergemark::resolve::{apply_with, Strategy};
        let lines = |v: &[String]| v.iter().map(|l| format!("{l}\n")).collect::<String>();
        let mut file = String::new();
        for (clean, ours, theirs) in &pieces {
            file += &lines(clean);
            file += &format!("<<<<<<< HEAD\n{}=======\n{}>>>>>>> topic\n", lines(ours), lines(theirs));
        }
        file += &lines(&tail);
        // A reference whose regions sometimes match the blocks (same sides, random frames).
        let m = |c: char| c.to_string().repeat(REFERENCE_MARKER_SIZE);
        let mut reference = String::new();
        for (i, (prefix, base, ours, theirs, suffix)) in regions.iter().enumerate() {
            let (ours, theirs) = match pieces.get(i) {
                Some((_, o, t)) if i % 2 == 0 => (o, t),
                _ => (ours, theirs),
            };
            let (p, s) = (lines(prefix), lines(suffix));
            reference += &format!(
                "x\n{} o\n{p}{}{s}{} b\n{}{}\n{p}{}{s}{} t\n",
                m('<'), lines(ours), m('|'), lines(base), m('='), lines(theirs), m('>'),
            );
        }
        let input = file.into_bytes();
        let parsed = parse(&input, &ParseOptions::default());
        let found = align(&input, &parsed, reference.as_bytes());
        let mut previous_end = 0;
        for unit in &found {
            prop_assert!(unit.span.start >= previous_end && unit.span.end <= input.len());
            previous_end = unit.span.end;
            prop_assert_eq!(&side_of_stretch(&input, &parsed, unit.span, Side::Ours), &unit.ours);
            prop_assert_eq!(&side_of_stretch(&input, &parsed, unit.span, Side::Theirs), &unit.theirs);
        }
        // Base: a stretch with a recovered base takes it; nothing else changes.
        let result = apply_with(&input, &parsed, Strategy::Base, &found);
        if result.resolved == 0 {
            prop_assert_eq!(&result.bytes, &input);
        }
        // Auto: what it reports as remaining is exactly what is left in the file (a section merge
        // that leaves conflicts writes them as blocks with the recovered base).
        let result = apply_with(&input, &parsed, Strategy::Auto, &found);
        let left = parse(&result.bytes, &ParseOptions::default());
        prop_assert_eq!(left.blocks().count(), result.remaining);
        if found.is_empty() && result.resolved == 0 {
            prop_assert_eq!(&result.bytes, &input);
        }
    }
}
