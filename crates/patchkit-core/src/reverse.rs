//! `reverse_patch`: a patch that undoes another. Headers swap sides (names,
//! modes, new/deleted file, renames), hunk ranges swap, and in each run of
//! changed lines the former additions become removals and come first.

use crate::error::{Error, Result};
use crate::git::{quote_name, strip_components};
use crate::lines::LineModel;
use crate::parse::{parse, HunkLine, ParsedFile, ParsedHunk};
use std::fmt::Write;

const RULE: &str = "===================================================================";

/// The reverse of `patch` (unified diff text, one or more files).
pub fn reverse_patch(patch: &str) -> Result<String> {
    let files = parse(patch, LineModel::Exact)?;
    let mut out = String::with_capacity(patch.len());
    for file in files.iter().filter(|f| f.has_content()) {
        write_file(&mut out, file)?;
    }
    Ok(out)
}

fn write_file(out: &mut String, file: &ParsedFile) -> Result<()> {
    let g = &file.git;
    if g.copy_from.is_some() {
        return Err(Error::InvalidArgument(
            "reversePatch cannot reverse a copy (the patch does not carry what to delete)"
                .to_owned(),
        ));
    }
    if let Some((a, b)) = &g.paths {
        let _ = writeln!(
            out,
            "diff --git {} {}",
            quote_name("a/", &strip_components(b, 1)),
            quote_name("b/", &strip_components(a, 1))
        );
        let pairs = [
            ("old mode ", &g.new_mode),
            ("new mode ", &g.old_mode),
            ("deleted file mode ", &g.new_file),
            ("new file mode ", &g.deleted_file),
        ];
        for (label, value) in pairs {
            if let Some(v) = value {
                let _ = writeln!(out, "{label}{v}");
            }
        }
        if let Some(s) = g.similarity {
            let _ = writeln!(out, "similarity index {s}%");
        }
        if let (Some(from), Some(to)) = (&g.rename_from, &g.rename_to) {
            let (to, from) = (quote_name("", to), quote_name("", from));
            let _ = writeln!(out, "rename from {to}\nrename to {from}");
        }
        if let Some(index) = &g.index {
            let _ = writeln!(out, "index {}", reverse_index(index));
        }
    } else if let Some(index) = file.index {
        let _ = writeln!(out, "Index: {index}\n{RULE}");
    }
    if g.binary {
        let _ = writeln!(out, "Binary files differ");
        return Ok(());
    }
    // The names as written: git's C-quoted names stay quoted.
    if let (Some(old), Some(new)) = (&file.old_raw_name, &file.new_raw_name) {
        let _ = writeln!(out, "--- {new}{}", header(&file.new_header));
        let _ = writeln!(out, "+++ {old}{}", header(&file.old_header));
    }
    for hunk in &file.hunks {
        write_hunk(out, hunk);
    }
    Ok(())
}

fn header(h: &Option<String>) -> String {
    h.as_ref().map(|h| format!("\t{h}")).unwrap_or_default()
}

/// `abc..def 100644` → `def..abc 100644`.
fn reverse_index(index: &str) -> String {
    let (ids, mode) = index.split_once(' ').map_or((index, ""), |(i, m)| (i, m));
    match ids.split_once("..") {
        Some((a, b)) if mode.is_empty() => format!("{b}..{a}"),
        Some((a, b)) => format!("{b}..{a} {mode}"),
        None => index.to_owned(),
    }
}

fn write_hunk(out: &mut String, hunk: &ParsedHunk) {
    let shown = |start: usize, count: usize| if count == 0 { start - 1 } else { start };
    let _ = writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        shown(hunk.new_start, hunk.new_lines),
        hunk.new_lines,
        shown(hunk.old_start, hunk.old_lines),
        hunk.old_lines
    );
    let mut block: Vec<(&HunkLine, Option<&HunkLine>)> = Vec::new();
    let lines = &hunk.lines;
    // jsdiff marks the emptied side of a whole-file deletion "no newline"
    // whether or not the deleted text had one; reversed, that marker would
    // wrongly take the final newline off the restored file.
    let empties_file = hunk.new_lines == 0 && hunk.new_start <= 1;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let marker = lines
            .get(i + 1)
            .filter(|l| l.op == b'\\' && !(empties_file && line.op == b'-'));
        if line.op == b' ' || line.op == b'\\' {
            flush(out, &mut block);
            write_line(out, b' ', line, marker);
        } else {
            block.push((line, marker));
        }
        let skipped_marker = lines.get(i + 1).is_some_and(|l| l.op == b'\\') && line.op != b'\\';
        i += 1 + skipped_marker as usize;
    }
    flush(out, &mut block);
}

/// Writes a run of changes reversed: former additions first, as removals.
fn flush(out: &mut String, block: &mut Vec<(&HunkLine, Option<&HunkLine>)>) {
    for want in [b'+', b'-'] {
        for (line, marker) in block.iter().filter(|(l, _)| l.op == want) {
            let op = if want == b'+' { b'-' } else { b'+' };
            write_line(out, op, line, *marker);
        }
    }
    block.clear();
}

fn write_line(out: &mut String, op: u8, line: &HunkLine, marker: Option<&HunkLine>) {
    if line.op == b'\\' {
        let _ = writeln!(out, "\\{}", line.content);
        return;
    }
    out.push(op as char);
    out.push_str(line.content);
    out.push('\n');
    if let Some(m) = marker {
        let _ = writeln!(out, "\\{}", m.content);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{apply_patch, create_diff, DiffOptions};

    #[test]
    fn applying_the_reverse_restores_the_original() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\nd\n"),
            ("x", "y\n"),
            ("one\ntwo", "one\nthree"),
            ("", "new\n"),
            ("gone\n", ""),
        ];
        for (before, after) in cases {
            let patch =
                create_diff("f", Some(before), Some(after), &DiffOptions::default()).unwrap();
            let back = reverse_patch(&patch.diff).unwrap();
            assert_eq!(
                apply_patch(after, &back, None).unwrap(),
                before,
                "{before:?} -> {after:?}\n{back}"
            );
        }
    }

    #[test]
    fn swaps_git_headers() {
        let patch =
            "diff --git a/x b/y\nold mode 100644\nnew mode 100755\nrename from x\nrename to y\n";
        let back = reverse_patch(patch).unwrap();
        assert_eq!(
            back,
            "diff --git a/y b/x\nold mode 100755\nnew mode 100644\nrename from y\nrename to x\n"
        );
    }
}
