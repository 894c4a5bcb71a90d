//! The progress line: after about a second of scanning, and only when stderr is a terminal, one
//! line on stderr (`mergemark: 12,345 files scanned, 3 findings`) redrawn a few times a second and
//! erased at the end, so that it never mixes with the report on stdout.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long a scan runs before the line appears (`MERGEMARK_PROGRESS_AFTER_MS` overrides it, for
/// tests of the line itself).
fn delay() -> Duration {
    std::env::var("MERGEMARK_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// Run `scan` while a thread draws the progress line; returns what `scan` returns.
pub(super) fn with_progress<T>(
    enabled: bool,
    files: impl Fn() -> usize + Sync,
    findings: impl Fn() -> usize + Sync,
    scan: impl FnOnce() -> T,
) -> T {
    if !enabled {
        return scan();
    }
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let (files, findings) = (&files, &findings);
        s.spawn(move || {
            let mut shown = false;
            let mut wait = delay();
            // No delay (tests of the line) draws it at once, however soon the scan ends: a
            // thread scheduled late would otherwise find the scan done on a busy machine.
            while (wait.is_zero() && !shown)
                || matches!(finished.recv_timeout(wait), Err(RecvTimeoutError::Timeout))
            {
                let (scanned, findings) = (files(), findings());
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r\x1b[2Kmergemark: {} file{} scanned, {} finding{}",
                    group(scanned),
                    if scanned == 1 { "" } else { "s" },
                    group(findings),
                    if findings == 1 { "" } else { "s" },
                );
                let _ = err.flush();
                shown = true;
                wait = Duration::from_millis(150);
            }
            if shown {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            }
        });
        let result = scan();
        let _ = done.send(());
        result
    })
}

/// `12345` as `12,345`.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouping() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(12_345), "12,345");
        assert_eq!(super::group(1_234_567), "1,234,567");
    }
}
