//! `replace` operations: a literal string or a regular expression (the
//! `regex` crate's syntax, which lacks JavaScript's look-around and
//! back-references) replaced with JavaScript's replacement patterns (`$$`,
//! `$&`, `` $` ``, `$'`, `$1`…`$99`, `$<name>`). Compiled patterns are kept in
//! a small bounded cache.

use crate::error::{Error, Result};
use regex::{Captures, Regex, RegexBuilder};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Matched literally.
    Literal(String),
    /// A regular expression and its JavaScript flags (`g` `i` `m` `s` `u`).
    Regex { source: String, flags: String },
}

const CACHE_LIMIT: usize = 256;

fn cache() -> &'static Mutex<HashMap<Pattern, Arc<Regex>>> {
    static CACHE: OnceLock<Mutex<HashMap<Pattern, Arc<Regex>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The compiled form of `pattern`, from the cache when possible.
pub fn compile(pattern: &Pattern) -> Result<Arc<Regex>> {
    let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = cache.get(pattern) {
        return Ok(re.clone());
    }
    let re = Arc::new(build(pattern)?);
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(pattern.clone(), re.clone());
    Ok(re)
}

fn build(pattern: &Pattern) -> Result<Regex> {
    let (source, flags) = match pattern {
        Pattern::Literal(text) => (regex::escape(text), ""),
        Pattern::Regex { source, flags } => (source.clone(), flags.as_str()),
    };
    if let Some(bad) = flags.chars().find(|c| !"gimsuy".contains(*c)) {
        return Err(Error::UnsupportedPattern(format!("unknown flag '{bad}'")));
    }
    if flags.contains('y') {
        return Err(Error::UnsupportedPattern(
            "the sticky flag 'y' is not supported".to_owned(),
        ));
    }
    RegexBuilder::new(&source)
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 22)
        .build()
        .map_err(|e| Error::UnsupportedPattern(first_line(&e.to_string())))
}

fn first_line(s: &str) -> String {
    s.lines().last().unwrap_or(s).trim().to_owned()
}

/// Replaces the first match (or every match when `all`) in `text`. Returns
/// the new text and the number of replacements.
pub fn replace(
    text: &str,
    pattern: &Pattern,
    replacement: &str,
    all: bool,
) -> Result<(String, usize)> {
    let re = compile(pattern)?;
    let all = all || matches!(pattern, Pattern::Regex { flags, .. } if flags.contains('g'));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut count = 0;
    for caps in re.captures_iter(text) {
        let m = caps.get(0).map_or(0..0, |m| m.range());
        out.push_str(&text[last..m.start]);
        expand(&caps, text, replacement, &mut out);
        last = m.end;
        count += 1;
        if !all {
            break;
        }
    }
    out.push_str(&text[last..]);
    Ok((out, count))
}

/// JavaScript's `GetSubstitution`.
fn expand(caps: &Captures, text: &str, replacement: &str, out: &mut String) {
    let whole = caps.get(0).map_or(0..0, |m| m.range());
    let bytes = replacement.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 >= bytes.len() {
            let next = replacement[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&replacement[i..i + next]);
            i += next;
            continue;
        }
        let rest = &replacement[i + 1..];
        let (used, value): (usize, Option<&str>) = match bytes[i + 1] {
            b'$' => (1, Some("$")),
            b'&' => (1, Some(&text[whole.clone()])),
            b'`' => (1, Some(&text[..whole.start])),
            b'\'' => (1, Some(&text[whole.end..])),
            b'<' => match rest.find('>') {
                Some(end) => (
                    end + 1,
                    Some(caps.name(&rest[1..end]).map_or("", |m| m.as_str())),
                ),
                None => (0, None),
            },
            b'0'..=b'9' => group(caps, rest),
            _ => (0, None),
        };
        match value {
            Some(v) if used > 0 => {
                out.push_str(v);
                i += 1 + used;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
}

/// `$n` or `$nn`: two digits when that group exists, as JavaScript reads it.
fn group<'t>(caps: &Captures<'t>, rest: &str) -> (usize, Option<&'t str>) {
    let digits: Vec<usize> = rest
        .bytes()
        .take(2)
        .take_while(u8::is_ascii_digit)
        .map(|d| (d - b'0') as usize)
        .collect();
    let groups = caps.len() - 1;
    if digits.len() == 2 && (1..=groups).contains(&(digits[0] * 10 + digits[1])) {
        return (
            2,
            Some(
                caps.get(digits[0] * 10 + digits[1])
                    .map_or("", |m| m.as_str()),
            ),
        );
    }
    match digits.first() {
        Some(&d) if (1..=groups).contains(&d) => (1, Some(caps.get(d).map_or("", |m| m.as_str()))),
        _ => (0, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(source: &str, flags: &str) -> Pattern {
        Pattern::Regex {
            source: source.into(),
            flags: flags.into(),
        }
    }

    #[test]
    fn literal_and_regex_with_javascript_replacement_patterns() {
        let lit = Pattern::Literal("a.b".into());
        assert_eq!(
            replace("a.b a.b axb", &lit, "[$&]", false).unwrap(),
            ("[a.b] a.b axb".into(), 1)
        );
        assert_eq!(replace("a.b a.b", &lit, "$$", true).unwrap().0, "$ $");
        let words = re(r"(\w+)@(?<host>\w+)", "g");
        assert_eq!(
            replace("x@y z@w", &words, "$2:$1 ($<host>)", false)
                .unwrap()
                .0,
            "y:x (y) w:z (w)"
        );
        assert_eq!(
            replace("ab", &re("b", ""), "[$`|$']", false).unwrap().0,
            "a[a|]"
        );
        assert_eq!(
            replace("AbA", &re("a", "i"), "-", true).unwrap(),
            ("-b-".into(), 2)
        );
        assert_eq!(replace("x", &re("x", ""), "$9 $", false).unwrap().0, "$9 $");
    }

    #[test]
    fn unsupported_patterns_are_refused() {
        for source in [r"(?<=a)b", r"(a)\1", "("] {
            let err = replace("ab", &re(source, ""), "", false).unwrap_err();
            assert_eq!(err.code(), "UNSUPPORTED_PATTERN", "{source}");
        }
        assert_eq!(
            replace("a", &re("a", "y"), "", false).unwrap_err().code(),
            "UNSUPPORTED_PATTERN"
        );
    }
}
