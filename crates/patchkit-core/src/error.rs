//! Errors as values. Every variant maps to one stable string code that the
//! binding copies onto the JS `Error` (see [`Error::code`]).

use std::fmt;

/// Where a hunk failed to apply: enough for a caller to show the conflict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conflict {
    /// Index of the failing hunk (0-based).
    pub hunk: usize,
    /// 1-based line of the baseline where the hunk was expected to start.
    pub line: usize,
    /// The line the patch expected there (context or removed line).
    pub expected: String,
    /// What the baseline holds at that position, `None` past its end.
    pub actual: Option<String>,
    /// Why, in words.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The patch does not fit the baseline.
    #[error("Failed to apply patch for {path}")]
    Conflict { path: String, detail: Box<Conflict> },
    /// The patch text is not a unified diff, or is malformed.
    #[error("Invalid patch at line {line}: {message}")]
    Parse { line: usize, message: String },
    /// An argument or option is out of range.
    #[error("{0}")]
    InvalidArgument(String),
    /// The patch changes binary content, which it does not carry.
    #[error("Cannot apply a binary patch to {0}")]
    Binary(String),
    /// A `replace` pattern the regex engine cannot compile.
    #[error("Unsupported pattern: {0}")]
    UnsupportedPattern(String),
    /// A plan path that is absolute, climbs out of the root, or leads
    /// outside it through a symbolic link.
    #[error("Path escapes the root: {0}")]
    PathEscape(String),
    /// A file's content no longer has the SHA-256 an operation expected.
    #[error("Stale base for {path}: expected SHA-256 {expected}, found {found}")]
    StaleBase {
        path: String,
        expected: String,
        found: String,
    },
    /// A plan was not applied because another of its operations failed.
    #[error("{0}")]
    NotApplied(String),
    /// A file system operation failed.
    #[error("{0}")]
    Io(String),
    /// The caller cancelled the computation.
    #[error("The operation was aborted")]
    Aborted,
    /// The caller's deadline passed before the computation finished.
    #[error("The operation timed out")]
    Timeout,
    /// An input is larger than the documented limit.
    #[error("{0}")]
    TooLarge(String),
}

impl Error {
    /// The stable code carried to JavaScript as `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Conflict { .. } => "PATCH_CONFLICT",
            Error::Parse { .. } => "PATCH_PARSE",
            Error::InvalidArgument(_) => "INVALID_ARGUMENT",
            Error::Binary(_) => "PATCH_BINARY",
            Error::UnsupportedPattern(_) => "UNSUPPORTED_PATTERN",
            Error::PathEscape(_) => "PATH_ESCAPE",
            Error::StaleBase { .. } => "STALE_BASE",
            Error::Io(_) => "IO_ERROR",
            Error::NotApplied(_) => "NOT_APPLIED",
            Error::Aborted => "ABORTED",
            Error::Timeout => "TIMEOUT",
            Error::TooLarge(_) => "INPUT_TOO_LARGE",
        }
    }

    /// A conflict about a whole file (it is missing, exists, …), not a hunk.
    pub(crate) fn file_conflict(path: &str, reason: &str) -> Self {
        Error::Conflict {
            path: path.to_owned(),
            detail: Box::new(Conflict {
                reason: reason.to_owned(),
                ..Conflict::default()
            }),
        }
    }

    pub(crate) fn parse(line: usize, message: impl fmt::Display) -> Self {
        Error::Parse {
            line,
            message: message.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
