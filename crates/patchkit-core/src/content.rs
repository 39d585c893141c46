//! A side of a diff as the caller hands it in: text, or bytes (a Node
//! `Buffer`) that may be binary. Bytes are binary by git's rule, a NUL byte
//! among the first 8,000; other bytes are decoded as UTF-8, each invalid
//! sequence becoming U+FFFD (`buffer.toString('utf8')`'s decoding). Text is
//! never binary.
//!
//! This module only classifies and decodes; it never diffs.

use std::borrow::Cow;

/// How many leading bytes git looks at for a NUL.
pub const BINARY_PROBE_BYTES: usize = 8000;

/// True when `bytes` holds a NUL byte among its first 8,000 (git's rule).
///
/// ```
/// use patchkit_core::content::is_binary;
/// assert!(is_binary(b"PNG\0\x01"));
/// assert!(!is_binary("text\n".as_bytes()));
/// ```
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE_BYTES)]).is_some()
}

/// One side, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content<'a> {
    /// Text: never binary.
    Text(&'a str),
    /// Bytes: binary by git's rule, else UTF-8 decoded lossily.
    Bytes(&'a [u8]),
}

impl<'a> Content<'a> {
    fn is_binary(self) -> bool {
        matches!(self, Content::Bytes(b) if is_binary(b))
    }

    fn raw(self) -> &'a [u8] {
        match self {
            Content::Text(t) => t.as_bytes(),
            Content::Bytes(b) => b,
        }
    }

    fn decode(self) -> Cow<'a, str> {
        match self {
            Content::Text(t) => Cow::Borrowed(t),
            Content::Bytes(b) => String::from_utf8_lossy(b),
        }
    }

    /// Bytes of the side as given.
    pub fn len(self) -> usize {
        self.raw().len()
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// One side, owned (what an async call or a batch keeps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedContent {
    Text(String),
    Bytes(Vec<u8>),
}

impl OwnedContent {
    pub fn as_content(&self) -> Content<'_> {
        match self {
            OwnedContent::Text(t) => Content::Text(t),
            OwnedContent::Bytes(b) => Content::Bytes(b),
        }
    }
}

/// Both sides of a diff, classified: binary when either side is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sides<'a> {
    /// The raw bytes of both sides (`None`: an absent file).
    Binary {
        before: Option<&'a [u8]>,
        after: Option<&'a [u8]>,
    },
    /// Both sides as text, bytes decoded (borrowed when valid UTF-8).
    Text {
        before: Option<Cow<'a, str>>,
        after: Option<Cow<'a, str>>,
    },
}

impl<'a> Sides<'a> {
    pub fn read(before: Option<Content<'a>>, after: Option<Content<'a>>) -> Self {
        let binary =
            before.is_some_and(Content::is_binary) || after.is_some_and(Content::is_binary);
        if binary {
            Sides::Binary {
                before: before.map(Content::raw),
                after: after.map(Content::raw),
            }
        } else {
            Sides::Text {
                before: before.map(Content::decode),
                after: after.map(Content::decode),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_nul_among_the_first_8000_bytes_of_bytes_makes_binary() {
        let mut late = vec![b'a'; BINARY_PROBE_BYTES];
        late.push(0);
        assert!(!is_binary(&late));
        late[BINARY_PROBE_BYTES - 1] = 0;
        assert!(is_binary(&late));
        let text = Sides::read(Some(Content::Text("a\0b")), Some(Content::Bytes(b"x\n")));
        assert!(
            matches!(text, Sides::Text { .. }),
            "strings are never binary"
        );
        let bin = Sides::read(Some(Content::Text("a\0b")), Some(Content::Bytes(b"\0")));
        assert!(matches!(bin, Sides::Binary { .. }));
    }

    #[test]
    fn bytes_decode_lossily_and_borrow_when_valid() {
        let Sides::Text { before, after } = Sides::read(
            Some(Content::Bytes(b"ok\n")),
            Some(Content::Bytes(b"\xff\n")),
        ) else {
            panic!("text expected");
        };
        assert!(matches!(before, Some(Cow::Borrowed("ok\n"))));
        assert_eq!(after.as_deref(), Some("\u{fffd}\n"));
    }
}
