//! Regexes compiled on first use. The built-in schema's patterns take about 10 ms to compile,
//! which a run that meets no postmortem (a pre-commit check of a few files) should not pay.
//! Configured schemas compile at once, so a bad pattern is reported with its key and line.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use regex::Regex;

/// A regex, compiled now or on first use; clones share the compiled regex (the built-in schema is
/// compiled once per process, however many configurations keep it).
#[derive(Clone, Debug)]
pub struct LazyRegex {
    pattern: String,
    compiled: Arc<OnceLock<Regex>>,
}

impl LazyRegex {
    /// Compile `pattern` now.
    ///
    /// # Errors
    /// When the pattern is invalid or too large.
    pub fn eager(pattern: &str) -> Result<Self, regex::Error> {
        let compiled = Arc::new(OnceLock::new());
        let _ = compiled.set(Regex::new(pattern)?);
        Ok(Self {
            pattern: pattern.to_owned(),
            compiled,
        })
    }

    /// Compile `pattern` on first use: only for the built-in schema, whose every pattern the
    /// tests compile.
    #[must_use]
    pub fn deferred(pattern: &str) -> Self {
        Self {
            pattern: pattern.to_owned(),
            compiled: Arc::default(),
        }
    }
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            Regex::new(&self.pattern).expect("the built-in schema's patterns compile (tested)")
        })
    }
}
