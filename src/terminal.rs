//! The width text for people is wrapped to: `COLUMNS` when set (as clap, ruff and `ls` honour
//! it), else the terminal's width, else 80 (a pipe, a file, CI logs).

/// Columns when nothing says otherwise.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest width wrapping is tried at: below it, words would stand one per line.
const MIN_WIDTH: usize = 20;

/// The width to wrap at: `COLUMNS`, then the terminal, then 80.
#[must_use]
pub fn width() -> usize {
    width_from(std::env::var("COLUMNS").ok().as_deref(), terminal_columns())
}

/// [`width`] from what the environment says: `columns` (`COLUMNS`) and the terminal's width.
#[must_use]
pub fn width_from(columns: Option<&str>, terminal: Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or(terminal.filter(|&c| c > 0))
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// The width of the terminal stdout, stderr or stdin is, if one is.
fn terminal_columns() -> Option<usize> {
    terminal_size::terminal_size().map(|(width, _)| usize::from(width.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_then_the_terminal_then_80() {
        assert_eq!(width_from(Some("60"), Some(120)), 60);
        assert_eq!(width_from(Some(" 100\n"), None), 100);
        assert_eq!(width_from(Some("wide"), Some(120)), 120);
        assert_eq!(width_from(Some("0"), None), 80);
        assert_eq!(width_from(None, Some(0)), 80);
        assert_eq!(width_from(None, None), 80);
        assert_eq!(width_from(Some("5"), None), 20);
    }
}
