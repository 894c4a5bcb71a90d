//! Rendering a parse back to bytes: unchanged (the round-trip), or with every block replaced by one
//! of its sides (what `git merge-file --ours/--theirs` does to a conflicted file).

use std::borrow::Cow;

use super::{Block, Chunk, ConflictedText, Dialect, Side};

impl ConflictedText {
    /// The file again, rebuilt from the parse. Equal to the parsed input byte for byte.
    #[must_use]
    pub fn render(&self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len());
        for chunk in &self.chunks {
            match chunk {
                Chunk::Text(span) => out.extend_from_slice(span.slice(input)),
                Chunk::Block(block) => block.render_into(input, &mut out),
            }
        }
        out
    }

    /// The file with every top-level block replaced by its `side`, taken verbatim (nested blocks
    /// inside that side stay as they are). `None` when some block lacks that side (no base in the
    /// merge style).
    #[must_use]
    pub fn choose(&self, input: &[u8], side: Side) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(input.len());
        for chunk in &self.chunks {
            match chunk {
                Chunk::Text(span) => out.extend_from_slice(span.slice(input)),
                Chunk::Block(block) => out.extend_from_slice(&block.side_bytes(input, side)?),
            }
        }
        Some(out)
    }
}

impl Block {
    /// Rebuild the block's bytes from its markers and sections.
    pub fn render_into(&self, input: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(self.start.line.slice(input));
        for section in &self.sections {
            if let Some(marker) = section.marker {
                out.extend_from_slice(marker.line.slice(input));
            }
            for note in &section.notes {
                out.extend_from_slice(note.line.slice(input));
            }
            out.extend_from_slice(section.body.slice(input));
        }
        out.extend_from_slice(self.end.line.slice(input));
    }

    /// The content of one side. Git sides are slices of the file; a Jujutsu diff section is
    /// applied (context and `+` lines for the side, context and `-` lines for the base).
    #[must_use]
    pub fn side_bytes<'a>(&self, input: &'a [u8], side: Side) -> Option<Cow<'a, [u8]>> {
        if self.dialect == Dialect::Git {
            return self.side(side).map(|s| Cow::Borrowed(s.body.slice(input)));
        }
        let mut out = super::SideText::empty();
        super::side::push_jj_side(&mut out, input, self, side)?;
        Some(Cow::Owned(out.bytes))
    }
}
