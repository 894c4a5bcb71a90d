//! What a conflict finding says: the message, labels and help of each block and lone marker.

use crate::conflict::{self, Anomaly, AnomalyKind, Block, BlockProblem, Dialect, MarkerKind};
use crate::diagnostic::{Finding, Rule};
use crate::span::Span;
use crate::text::escape_for_display;

/// How many marker lines (and nested blocks) of one block get a label of their own.
const MAX_LABELS: usize = 16;

fn label_text(bytes: &[u8], span: Option<Span>) -> Option<String> {
    span.map(|s| escape_for_display(s.slice(bytes)))
}

fn run(kind: MarkerKind, len: usize) -> String {
    String::from(char::from(kind.byte())).repeat(len)
}

/// The finding of a conflict block: shown in a fenced code block, broken, or a conflict.
pub(super) fn block_finding(bytes: &[u8], block: &Block, shown: bool) -> Finding {
    let ours = label_text(bytes, block.start.label);
    let theirs = label_text(bytes, block.end.label);
    let mut message = match block.dialect {
        Dialect::Jujutsu => format!(
            "unresolved Jujutsu conflict{}",
            ours.as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        ),
        Dialect::Git => format!(
            "unresolved merge conflict between {} (ours) and {} (theirs)",
            ours.as_deref()
                .map_or_else(|| "an unlabelled side".to_owned(), |l| format!("`{l}`")),
            theirs
                .as_deref()
                .map_or_else(|| "an unlabelled side".to_owned(), |l| format!("`{l}`")),
        ),
    };
    if let Some(base) = block.side(conflict::Side::Base).and_then(|s| s.marker) {
        if block.dialect == Dialect::Git {
            match label_text(bytes, base.label) {
                Some(label) => message.push_str(&format!("; base `{label}`")),
                None => message.push_str("; with a base section"),
            }
        }
    }
    let nested = block.nested_count();
    if nested > 0 {
        message.push_str(&format!(
            "; it holds {nested} nested conflict{}",
            if nested == 1 { "" } else { "s" }
        ));
    }

    let (rule, help) = if shown {
        message = format!("conflict markers in a code block (an example?): {message}");
        (
            Rule::ConflictMarkerInCode,
            "if this is a real conflict, resolve it; if it is an example, put \
             `<!-- mergemark-disable-next-line conflict-marker-in-code -->` (in AsciiDoc, \
             `// mergemark-disable-next-line conflict-marker-in-code`) before the code block",
        )
    } else if !block.problems.is_empty() {
        message = format!("broken conflict: {}", describe_problems(block));
        (
            Rule::BrokenConflict,
            "finish resolving this region by hand: keep the lines you want and delete every marker line",
        )
    } else {
        (
            Rule::ConflictMarker,
            "keep the lines you want from each side, then delete the marker lines",
        )
    };

    with_block_labels(
        Finding::new(rule, block.span, message).with_help(help),
        block,
    )
}

/// Labels on the block's marker lines, nested blocks and problems. A block of thousands of
/// sections gets labels on its first marker lines and its end: enough to find it, and a snippet
/// that renders in linear time.
fn with_block_labels(mut finding: Finding, block: &Block) -> Finding {
    let markers: Vec<&conflict::Marker> = block.marker_lines().collect();
    let shown_markers = markers
        .iter()
        .take(MAX_LABELS)
        .chain(markers.last().filter(|_| markers.len() > MAX_LABELS));
    for marker in shown_markers {
        let text = match marker.kind {
            MarkerKind::Start => "ours starts here",
            MarkerKind::Base => "base starts here",
            MarkerKind::Separator => "theirs starts here",
            MarkerKind::End => "conflict ends here",
            MarkerKind::JjDiff => "diff section",
            MarkerKind::JjSide => "side snapshot",
            MarkerKind::JjBase => "base snapshot",
            MarkerKind::JjNote => continue,
        };
        finding = finding.with_label(marker.line, text);
    }
    for section in &block.sections {
        for inner in section.nested.iter().take(MAX_LABELS) {
            finding = finding.with_label(
                inner.start.line,
                format!("nested conflict ({}-character markers)", inner.marker_len),
            );
        }
    }
    for problem in &block.problems {
        let text = match problem {
            BlockProblem::MissingSeparator | BlockProblem::UnbalancedJujutsu => continue,
            BlockProblem::BaseOutOfOrder { .. } => "base marker out of order",
            BlockProblem::ExtraSeparator { .. } => "a second separator",
            BlockProblem::ForeignMarker { .. } => "a Git marker inside a Jujutsu block",
            BlockProblem::JujutsuDiffLine { .. } => "not a context, removed or added line",
        };
        if let Some(line) = problem.line() {
            finding = finding.with_label(line, text);
        }
    }
    finding
}

/// Why a block's structure is unsound, in words.
#[must_use]
pub fn describe_problems(block: &Block) -> String {
    let len = block.marker_len;
    block
        .problems
        .iter()
        .map(|p| match p {
            BlockProblem::MissingSeparator => format!(
                "the block closes without a {} separator",
                run(MarkerKind::Separator, len)
            ),
            BlockProblem::BaseOutOfOrder { .. } => format!(
                "a {} base marker comes after the separator or twice",
                run(MarkerKind::Base, len)
            ),
            BlockProblem::ExtraSeparator { .. } => format!(
                "it has two {} separators, so a side holds a line that reads as one (a setext \
                 underline?) and the sides cannot be told apart; it is left as it is",
                run(MarkerKind::Separator, len)
            ),
            BlockProblem::UnbalancedJujutsu => {
                "its Jujutsu sections do not make a conflict (Jujutsu \
                writes one more side than bases, and at least two sides); it is left as it is"
                    .to_owned()
            }
            BlockProblem::JujutsuDiffLine { .. } => {
                "a line of its Jujutsu diff section is neither context (` `), removed (`-`) nor \
                 added (`+`), so no side can be rebuilt; it is left as it is"
                    .to_owned()
            }
            BlockProblem::ForeignMarker { .. } => format!(
                "a Jujutsu block holds a {} or {} line of its own marker length, which Jujutsu \
                 never writes; it is left as it is",
                run(MarkerKind::Base, len),
                run(MarkerKind::Separator, len)
            ),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The finding of a lone or out-of-place marker line, shown in a fenced code block or not.
pub(super) fn anomaly_finding(bytes: &[u8], anomaly: &Anomaly, shown: bool) -> Finding {
    let line_text = escape_for_display(trim_eol(anomaly.line.slice(bytes)));
    let (message, label) = match anomaly.kind {
        AnomalyKind::Unterminated => (
            format!("conflict start marker `{line_text}` is never closed by an end marker"),
            "start marker without an end",
        ),
        AnomalyKind::OrphanEnd => (
            format!("conflict end marker `{line_text}` has no start marker (half-deleted conflict?)"),
            "end marker without a start",
        ),
        AnomalyKind::TooDeep => (
            format!(
                "conflict blocks nested more than {} deep; this start marker and deeper ones are read as text",
                conflict::MAX_NESTING
            ),
            "nested too deep",
        ),
        AnomalyKind::OrphanBase => (
            format!("conflict base marker `{line_text}` outside a conflict block (half-deleted conflict?)"),
            "base marker outside a block",
        ),
    };
    let (rule, message, help) = if shown {
        (
            Rule::ConflictMarkerInCode,
            format!("conflict marker in a code block (an example?): {message}"),
            "if this is an example, put `<!-- mergemark-disable-next-line conflict-marker-in-code -->` (in AsciiDoc, `// mergemark-disable-next-line conflict-marker-in-code`) before the code block",
        )
    } else {
        (
            Rule::BrokenConflict,
            message,
            "finish resolving this region by hand: keep the lines you want and delete every marker line",
        )
    };
    let mut finding = Finding::new(rule, anomaly.line, message)
        .with_help(help)
        .with_label(anomaly.line, label);
    for related in &anomaly.related {
        let text = match anomaly.kind {
            AnomalyKind::OrphanEnd => "separator left behind?",
            _ => "marker of the same conflict",
        };
        finding = finding.with_label(*related, text);
    }
    finding
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
