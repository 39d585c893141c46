//! git's extended headers (`diff --git`, modes, renames, copies, binary
//! markers) as they appear between a file's `diff --git` line and its
//! `---`/`+++` headers, and the file paths a parsed file stands for.

/// What a file's extended header lines say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitMeta {
    /// The two paths of the `diff --git a/<old> b/<new>` line, prefixes kept.
    pub paths: Option<(String, String)>,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    /// `new file mode <mode>`.
    pub new_file: Option<String>,
    /// `deleted file mode <mode>`.
    pub deleted_file: Option<String>,
    pub rename_from: Option<String>,
    pub rename_to: Option<String>,
    pub copy_from: Option<String>,
    pub copy_to: Option<String>,
    /// `similarity index <n>%`.
    pub similarity: Option<u32>,
    /// The `index <old>..<new>[ <mode>]` line's value.
    pub index: Option<String>,
    /// `Binary files … differ` or `GIT binary patch`.
    pub binary: bool,
}

impl GitMeta {
    /// Records `line` if it is an extended header line; returns whether it
    /// was one.
    pub fn read(&mut self, line: &str) -> bool {
        let line = line.trim_end_matches('\r');
        let value = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_owned());
        if let Some(rest) = line.strip_prefix("diff --git ") {
            self.paths = split_git_paths(rest);
        } else if let Some(v) = value("old mode ") {
            self.old_mode = Some(v);
        } else if let Some(v) = value("new mode ") {
            self.new_mode = Some(v);
        } else if let Some(v) = value("new file mode ") {
            self.new_file = Some(v);
        } else if let Some(v) = value("deleted file mode ") {
            self.deleted_file = Some(v);
        } else if let Some(v) = value("rename from ") {
            self.rename_from = Some(unquote(&v));
        } else if let Some(v) = value("rename to ") {
            self.rename_to = Some(unquote(&v));
        } else if let Some(v) = value("copy from ") {
            self.copy_from = Some(unquote(&v));
        } else if let Some(v) = value("copy to ") {
            self.copy_to = Some(unquote(&v));
        } else if let Some(v) = value("similarity index ") {
            self.similarity = v.trim_end_matches('%').parse().ok();
        } else if let Some(v) = value("index ") {
            self.index = Some(v);
        } else if line == "GIT binary patch" {
            self.binary = true;
        } else if let Some(names) = binary_files(line) {
            self.binary = true;
            if self.paths.is_none() {
                self.paths = Some(names);
            }
        } else {
            return false;
        }
        true
    }

    /// True when any git header was seen.
    pub fn is_git(&self) -> bool {
        self.paths.is_some()
    }
}

/// The names of `Binary files <a> and <b> differ`.
pub fn binary_files(line: &str) -> Option<(String, String)> {
    let names = line
        .strip_prefix("Binary files ")?
        .strip_suffix(" differ")?;
    let (a, b) = names.split_once(" and ")?;
    Some((unquote(a), unquote(b)))
}

/// `a/x b/y` (either or both possibly quoted) into its two paths; `None`
/// when the line does not hold two names.
fn split_git_paths(rest: &str) -> Option<(String, String)> {
    let (a, b) = split_git_names(rest)?;
    (!a.is_empty() && !b.is_empty()).then(|| (unquote(a), unquote(b)))
}

fn split_git_names(rest: &str) -> Option<(&str, &str)> {
    if rest.starts_with('"') {
        let end = quoted_len(rest)?;
        let (a, b) = rest.split_at(end);
        return Some((a, b.trim_start()));
    }
    if rest.ends_with('"') {
        // `a/plain "b/quoted"`: the second name is a quoted string that ends
        // the line.
        let quoted = rest
            .match_indices(" \"")
            .map(|(i, _)| i)
            .find(|&i| quoted_len(&rest[i + 1..]) == Some(rest.len() - i - 1));
        if let Some(i) = quoted {
            return Some((&rest[..i], &rest[i + 1..]));
        }
    }
    // Without quotes the paths are the same length when unchanged; find the
    // " b/" that splits the line in two equal names, or the last " b/".
    let candidates: Vec<usize> = rest.match_indices(" b/").map(|(i, _)| i).collect();
    let at = candidates
        .iter()
        .copied()
        .find(|&i| rest[..i].strip_prefix("a/") == Some(&rest[i + 3..]))
        .or_else(|| candidates.last().copied())
        .or_else(|| rest.find(' '))?;
    let (a, b) = rest.split_at(at);
    Some((a, b.trim_start()))
}

/// The length of the C-quoted string `s` starts with, closing quote
/// included (a `\"` inside does not close it).
pub fn quoted_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A name git C-quoted (on `---`/`+++` lines, for special characters),
/// unquoted; `None` when `s` is not one quoted string.
pub fn unquote_name(s: &str) -> Option<String> {
    (quoted_len(s) == Some(s.len())).then(|| unquote(s))
}

/// git's C-style quoting: `"a\tb"` → `a<TAB>b`.
pub fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_owned();
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'a') => out.push(0x07),
            Some(b'b') => out.push(0x08),
            Some(b't') => out.push(b'\t'),
            Some(b'n') => out.push(b'\n'),
            Some(b'v') => out.push(0x0b),
            Some(b'f') => out.push(0x0c),
            Some(b'r') => out.push(b'\r'),
            Some(d @ b'0'..=b'7') => {
                let mut v = (d - b'0') as u32;
                for _ in 0..2 {
                    let next = bytes.clone().next().filter(|d| (b'0'..=b'7').contains(d));
                    if let Some(d) = next {
                        v = v * 8 + (d - b'0') as u32;
                        bytes.next();
                    }
                }
                // git writes at most \377; a larger value is not a byte.
                out.push(u8::try_from(v).unwrap_or(b'?'));
            }
            Some(other) => out.push(other),
            None => out.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `prefix` and `path` as git prints a name: C-quoted when it holds a control
/// character, `"`, `\\` or a non-ASCII byte (git's default
/// `core.quotePath`), with a leading `/` of `path` dropped.
pub fn quote_name(prefix: &str, path: &str) -> String {
    let path = path.strip_prefix('/').unwrap_or(path);
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    if path.bytes().all(plain) {
        return format!("{prefix}{path}");
    }
    let mut out = String::from("\"");
    for b in prefix.bytes().chain(path.bytes()) {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b if plain(b) => out.push(b as char),
            b => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// Removes `strip` leading components from `path` (as `patch -p<strip>`).
pub fn strip_components(path: &str, strip: usize) -> String {
    let mut rest = path;
    for _ in 0..strip {
        match rest.find('/') {
            Some(i) => rest = &rest[i + 1..],
            None => break,
        }
    }
    rest.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_extended_headers() {
        let mut meta = GitMeta::default();
        for line in [
            "diff --git a/src/x y.rs b/src/x y.rs",
            "similarity index 90%",
            "rename from src/old.rs",
            "rename to \"src/new\\tname.rs\"",
            "old mode 100644",
            "new mode 100755",
            "index 1234567..89abcde",
        ] {
            assert!(meta.read(line), "{line}");
        }
        assert_eq!(
            meta.paths,
            Some(("a/src/x y.rs".into(), "b/src/x y.rs".into()))
        );
        assert_eq!(meta.similarity, Some(90));
        assert_eq!(meta.rename_to.as_deref(), Some("src/new\tname.rs"));
        assert!(!meta.read("@@ -1 +1 @@"));
        assert!(meta.read("Binary files a/x and b/x differ") && meta.binary);
    }

    #[test]
    fn reads_quoted_names_on_either_side() {
        let paths = |line: &str| {
            let mut meta = GitMeta::default();
            meta.read(line);
            meta.paths.unwrap()
        };
        assert_eq!(
            paths(r#"diff --git "a/quote\"d b.txt" "b/quote\"d b.txt""#),
            (r#"a/quote"d b.txt"#.into(), r#"b/quote"d b.txt"#.into())
        );
        assert_eq!(
            paths(r#"diff --git a/plain.txt "b/caf\303\251.txt""#),
            ("a/plain.txt".into(), "b/caf\u{e9}.txt".into())
        );
        assert_eq!(
            paths(r#"diff --git "a/tab\there" b/plain"#),
            ("a/tab\there".into(), "b/plain".into())
        );
        assert_eq!(
            paths("diff --git a/\u{e9}.txt \"b/x\\ty\""),
            ("a/\u{e9}.txt".into(), "b/x\ty".into())
        );
        assert_eq!(
            paths("diff --git a/x b/y\""),
            ("a/x".into(), "b/y\"".into())
        );
        let mut meta = GitMeta::default();
        meta.read("diff --git \"a/x\"");
        assert_eq!(meta.paths, None);
        assert_eq!(
            unquote(r#""\a\b\t\n\v\f\r\\\"\101\8""#),
            "\u{7}\u{8}\t\n\u{b}\u{c}\r\\\"A8"
        );
        for name in [
            "tab\there",
            "caf\u{e9}",
            "q\"uote",
            "back\\slash",
            "bell\u{7}",
            "plain name",
        ] {
            let quoted = quote_name("a/", name);
            assert_eq!(
                unquote_name(&quoted).unwrap_or(quoted.clone()),
                format!("a/{name}"),
                "{quoted}"
            );
        }
        assert_eq!(unquote_name(r#""a/x\"y""#).as_deref(), Some(r#"a/x"y"#));
        assert_eq!(unquote_name("a/plain"), None);
    }

    #[test]
    fn strips_components() {
        assert_eq!(strip_components("a/src/x.rs", 1), "src/x.rs");
        assert_eq!(strip_components("x.rs", 1), "x.rs");
        assert_eq!(strip_components("a/b/c", 0), "a/b/c");
    }
}
