//! The git format's text, git's placement of `\ No newline at end of file`,
//! and binary sides. (That git apply and GNU patch accept the text is
//! checked with the real tools in `__test__/formats.test.ts`.)

use patchkit_core::cache::DiffCache;
use patchkit_core::content::Content;
use patchkit_core::{
    create_diff, create_diff_bytes, create_diff_content, Algorithm, Cancel, DiffOptions, Format,
};

fn git() -> DiffOptions {
    DiffOptions {
        format: Format::Git,
        ..DiffOptions::default()
    }
}

fn git_diff(before: Option<&str>, after: Option<&str>) -> String {
    create_diff("p", before, after, &git()).unwrap().diff
}

fn git_lines(before: &str, after: &str) -> Vec<String> {
    let patch = create_diff("p", Some(before), Some(after), &git()).unwrap();
    let lines = patch.hunks.iter().flat_map(|h| patch.hunk_lines(h));
    lines.map(str::to_owned).collect()
}

const NO_NL: &str = "\\ No newline at end of file";

#[test]
fn git_headers_for_created_modified_deleted_and_unchanged_files() {
    assert_eq!(
        git_diff(None, Some("x\n")),
        "diff --git a/p b/p\nnew file mode 100644\n--- /dev/null\n+++ b/p\n@@ -0,0 +1,1 @@\n+x\n"
    );
    assert_eq!(
        git_diff(Some("x\n"), None),
        "diff --git a/p b/p\ndeleted file mode 100644\n--- a/p\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n"
    );
    assert_eq!(
        git_diff(Some("x\n"), Some("y\n")),
        "diff --git a/p b/p\n--- a/p\n+++ b/p\n@@ -1,1 +1,1 @@\n-x\n+y\n"
    );
    assert_eq!(git_diff(Some("same\n"), Some("same\n")), "");
    assert_eq!(git_diff(None, None), "");
    assert_eq!(git_diff(Some(""), Some("")), "");
    assert_eq!(
        git_diff(None, Some("")),
        "diff --git a/p b/p\nnew file mode 100644\n"
    );
    assert_eq!(
        git_diff(Some(""), None),
        "diff --git a/p b/p\ndeleted file mode 100644\n"
    );
    // An existing empty file that gains lines is modified, not created.
    assert_eq!(
        git_diff(Some(""), Some("x\n")),
        "diff --git a/p b/p\n--- a/p\n+++ b/p\n@@ -0,0 +1,1 @@\n+x\n"
    );
    let unchanged = create_diff("p", Some("a\n"), Some("a\n"), &git()).unwrap();
    assert!(unchanged.hunks.is_empty() && unchanged.preview.is_none());
}

#[test]
fn the_default_format_is_unchanged() {
    let patch = create_diff(
        "p",
        Some("a\nb"),
        Some("a\nb\nc\n"),
        &DiffOptions::default(),
    )
    .unwrap();
    assert_eq!(
        patch.diff,
        "Index: p\n===================================================================\n--- p\t\n+++ p\t\n\
         @@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n"
    );
}

#[test]
fn git_names_are_quoted_as_git_quotes_them() {
    let options = git();
    let spaced = create_diff("dir/a b.txt", Some("x\n"), Some("y\n"), &options).unwrap();
    assert!(spaced.diff.starts_with(
        "diff --git a/dir/a b.txt b/dir/a b.txt\n--- a/dir/a b.txt\t\n+++ b/dir/a b.txt\t\n"
    ));
    let odd = create_diff("é\"\t.txt", Some("x\n"), None, &options).unwrap();
    assert!(odd.diff.starts_with(
        "diff --git \"a/\\303\\251\\\"\\t.txt\" \"b/\\303\\251\\\"\\t.txt\"\ndeleted file mode 100644\n\
         --- \"a/\\303\\251\\\"\\t.txt\"\n+++ /dev/null\n"
    ));
}

#[test]
fn git_markers_follow_each_sides_last_line() {
    // Old side without a final newline: after its last (removed) line.
    assert_eq!(
        git_lines("a\nb", "a\nb\nc\n"),
        [" a", "-b", NO_NL, "+b", "+c"]
    );
    // New side without one: after its last added line.
    assert_eq!(git_lines("a\n", "a\nb"), [" a", "+b", NO_NL]);
    // Both, on different lines.
    assert_eq!(git_lines("a\nb", "a\nc"), [" a", "-b", NO_NL, "+c", NO_NL]);
    // A shared last line: once, after the context line.
    assert_eq!(git_lines("x\ny", "X\ny"), ["-x", "+X", " y", NO_NL]);
    // jsdiff puts the marker at index `oldLines` of the hunk, here after
    // ` b`, which says the wrong line lacks the newline; git's is after `-c`.
    let jsdiff = create_diff(
        "p",
        Some("a\nb\nc"),
        Some("A\nb\nC\n"),
        &DiffOptions::default(),
    )
    .unwrap();
    let lines: Vec<&str> = jsdiff.hunk_lines(&jsdiff.hunks[0]).collect();
    assert_eq!(lines, ["-a", "+A", " b", NO_NL, "-c", "+C"]);
    assert_eq!(
        git_lines("a\nb\nc", "A\nb\nC\n"),
        ["-a", "+A", " b", "-c", NO_NL, "+C"]
    );
    // No marker when the last lines are not in any hunk.
    let far = git_lines("a\nb\nc\nd\ne\nf\ng", "A\nb\nc\nd\ne\nf\ng");
    assert!(!far.iter().any(|l| l == NO_NL));
}

#[test]
fn counts_and_preview_follow_the_git_text() {
    let patch = create_diff("p", Some("a\nb"), Some("a\nc"), &git()).unwrap();
    assert_eq!((patch.additions, patch.deletions), (1, 1));
    assert_eq!(patch.preview.as_deref(), Some("-b\n+c"));
}

#[test]
fn binary_bytes_give_no_hunks_and_gits_binary_line() {
    let (a, b): (&[u8], &[u8]) = (b"\x89PNG\0\x01", b"\x89PNG\0\x02");
    let o = git();
    let diff = |x: Option<&[u8]>, y: Option<&[u8]>, o: &DiffOptions| {
        create_diff_bytes("img/p.png", x, y, o, Cancel::default()).unwrap()
    };
    let modified = diff(Some(a), Some(b), &o);
    assert_eq!(
        modified.diff,
        "diff --git a/img/p.png b/img/p.png\nBinary files a/img/p.png and b/img/p.png differ\n"
    );
    assert!(modified.hunks.is_empty() && modified.preview.is_none());
    assert_eq!((modified.additions, modified.deletions), (0, 0));
    assert_eq!(
        modified.sha_before.as_deref(),
        Some(patchkit_core::sha::sha256_hex(a).as_str())
    );
    assert_eq!(
        diff(None, Some(b), &o).diff,
        "diff --git a/img/p.png b/img/p.png\nnew file mode 100644\n\
         Binary files /dev/null and b/img/p.png differ\n"
    );
    assert_eq!(
        diff(Some(a), None, &o).diff,
        "diff --git a/img/p.png b/img/p.png\ndeleted file mode 100644\n\
         Binary files a/img/p.png and /dev/null differ\n"
    );
    assert_eq!(diff(Some(a), Some(a), &o).diff, "");
    let default = DiffOptions::default();
    let rule = "===================================================================";
    assert_eq!(
        diff(Some(a), Some(b), &default).diff,
        format!("Index: img/p.png\n{rule}\nBinary files img/p.png and img/p.png differ\n")
    );
    assert_eq!(
        diff(Some(a), Some(a), &default).diff,
        format!("Index: img/p.png\n{rule}\n--- img/p.png\t\n+++ img/p.png\t\n")
    );
    assert_eq!(
        diff(None, Some(b), &default).change_type.as_str(),
        "created"
    );
}

#[test]
fn strings_are_never_binary_and_text_bytes_are_text() {
    let options = DiffOptions::default();
    let string = create_diff_content(
        "p",
        Some(Content::Text("a\0\n")),
        Some(Content::Text("b\0\n")),
        &options,
        Cancel::default(),
    )
    .unwrap();
    assert_eq!(string.hunks.len(), 1);
    let bytes = create_diff_bytes(
        "p",
        Some(b"a\n"),
        Some(b"\xffb\n"),
        &options,
        Cancel::default(),
    )
    .unwrap();
    let text = create_diff("p", Some("a\n"), Some("\u{fffd}b\n"), &options).unwrap();
    assert_eq!(bytes.diff, text.diff);
    assert_eq!(
        bytes.sha_after, text.sha_after,
        "digests of the decoded text"
    );
}

#[test]
fn the_cache_tells_binary_bytes_from_the_same_string() {
    let cache = DiffCache::new(10, 1 << 20);
    let options = DiffOptions::default();
    let run = |before: Content, after: Content| {
        cache
            .create_diff_content("p", Some(before), Some(after), &options, Cancel::default())
            .unwrap()
    };
    let (text, _) = run(Content::Text("a\0"), Content::Text("b\0"));
    let (binary, hit) = run(Content::Bytes(b"a\0"), Content::Bytes(b"b\0"));
    assert!(!hit);
    assert_ne!(text.diff, binary.diff);
    let (again, hit) = run(Content::Bytes(b"a\0"), Content::Bytes(b"b\0"));
    assert!(hit);
    assert_eq!(again.diff, binary.diff);
}

#[test]
fn every_algorithm_diffs_in_both_formats() {
    let before = "a\nb\nc\nd\ne\n}\n}\nf";
    let after = "a\nB\nc\n}\nd\ne\n}\nF\n";
    for algorithm in Algorithm::NAMES.map(|n| Algorithm::from_name(n).unwrap()) {
        for format in [Format::Jsdiff, Format::Git] {
            let options = DiffOptions {
                algorithm,
                format,
                ..DiffOptions::default()
            };
            let patch = create_diff("p", Some(before), Some(after), &options).unwrap();
            let applied = patchkit_core::apply_patch(before, &patch.diff, None).unwrap();
            assert_eq!(applied, after, "{algorithm:?} {format:?}\n{}", patch.diff);
        }
    }
}
