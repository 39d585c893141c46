//! A stable-toolchain fuzzer for patchkit-core: every target draws inputs
//! from a seeded generator (structured text, and mutations of valid diffs)
//! for a fixed time, runs the entry point under `catch_unwind`, and checks
//! its invariants. cargo-fuzz would add coverage guidance but needs a
//! nightly toolchain, which this project's machines do not have.
//!
//!     cargo run --release --manifest-path fuzz/Cargo.toml -- [target|all] [seconds] [seed]
//!
//! A failure is written to `fuzz/artifacts/` with its message (the input,
//! for a broken invariant) and the command that replays it; the run exits 1.

use patchkit_core::engine::{self, edit_count, runs_are_valid, Budget, Cancel};
use patchkit_core::intern::Interned;
use patchkit_core::multi::PatchesOptions;
use patchkit_core::plan::confine;
use patchkit_core::{
    apply_patch, apply_patches, check_patch, create_diff, create_diff_bytes, reverse_patch,
    Algorithm, ApplyOptions, DiffOptions, Format,
};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const LINES: &[&str] = &[
    "a\n",
    "b\n",
    "c\n",
    "}\n",
    "\n",
    "x\r\n",
    "  indented\n",
    "+++ y\n",
    "--- z\n",
    "-- w\n",
    "++ v\n",
    "\\ q\n",
    "@@ -1 +1 @@\n",
    "\r",
    "tail",
    "é😀\n",
    "\t\n",
];

/// Seed patches written by the real tools (`git diff -M` with a rename, a
/// mode change, CRLF and no-final-newline files, a created and a deleted
/// file; `git diff --binary`; `diff -ruN`; jsdiff's `createTwoFilesPatch`).
const SEEDS: &[&str] = &[
    include_str!("../seeds/git-mixed.diff"),
    include_str!("../seeds/git-binary.diff"),
    include_str!("../seeds/diff-ruN.diff"),
    include_str!("../seeds/jsdiff.diff"),
    include_str!("../seeds/git-quoted.diff"),
    include_str!("../seeds/git-quoted-raw.diff"),
];

/// Characters that matter to patch syntax and names, for byte-level
/// mutations.
const CHARS: &[char] = &[
    '"', '\\', '\t', ' ', '/', '0', '7', '\r', '\n', '@', '-', '+', ',', 'é', '😀', '\0',
];

/// A text of up to `max` lines drawn from a small alphabet.
fn text(rng: &mut Rng, max: usize) -> String {
    (0..rng.below(max + 1)).map(|_| rng.pick(LINES)).collect()
}

/// `base` with lines deleted, inserted and changed.
fn edit(rng: &mut Rng, base: &str) -> String {
    let mut out = String::new();
    for line in base.split_inclusive('\n') {
        match rng.below(8) {
            0 => {}
            1 => {
                out.push_str(rng.pick(LINES));
                out.push_str(line);
            }
            2 => out.push_str(rng.pick(LINES)),
            _ => out.push_str(line),
        }
    }
    if rng.below(4) == 0 {
        out.push_str(rng.pick(LINES));
    }
    out
}

/// Mutates patch text: drops, duplicates or swaps lines, changes digits,
/// line endings and single characters (quotes, backslashes, tabs,
/// non-ASCII, NUL).
fn mutate(rng: &mut Rng, patch: &str) -> String {
    let mut lines: Vec<String> = patch.split_inclusive('\n').map(str::to_owned).collect();
    for _ in 0..1 + rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(8) {
            0 => {
                lines.remove(i);
            }
            1 => lines.insert(i, lines[i].clone()),
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                lines[i] =
                    lines[i].replacen(|c: char| c.is_ascii_digit(), &rng.below(10).to_string(), 1)
            }
            4 => lines.insert(i, rng.pick(LINES).to_owned()),
            5 => lines[i] = lines[i].replace('\n', "\r\n"),
            op => {
                let mut chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                let c = CHARS[rng.below(CHARS.len())];
                if op == 6 && at < chars.len() {
                    chars[at] = c;
                } else {
                    chars.insert(at, c);
                }
                lines[i] = chars.into_iter().collect();
            }
        }
    }
    lines.concat()
}

type Failure = String;

fn target_parse(rng: &mut Rng) -> Result<(), Failure> {
    let (a, b) = (text(rng, 30), text(rng, 30));
    let b = if rng.below(2) == 0 { edit(rng, &a) } else { b };
    let diff = create_diff("f", Some(&a), Some(&b), &DiffOptions::default())
        .map_err(|e| e.to_string())?
        .diff;
    let input = match rng.below(4) {
        0 => text(rng, 20),
        1 => {
            let seed = rng.pick(SEEDS);
            mutate(rng, seed)
        }
        _ => mutate(rng, &diff),
    };
    for model in [
        patchkit_core::lines::LineModel::Exact,
        patchkit_core::lines::LineModel::Jsdiff,
    ] {
        match patchkit_core::parse::parse(&input, model) {
            Ok(files) => {
                // Everything the appliers read of a parsed file.
                for file in &files {
                    for strip in 0..3 {
                        let _ = (file.old_path(strip), file.new_path(strip));
                    }
                    let _ = (
                        file.default_strip(),
                        patchkit_core::multi::change_kind(file),
                    );
                }
            }
            Err(e) if e.code() == "PATCH_PARSE" => {}
            Err(e) => return Err(format!("parse gave {e:?} for {input:?}")),
        }
    }
    Ok(())
}

fn target_apply(rng: &mut Rng) -> Result<(), Failure> {
    let a = text(rng, 30);
    let b = edit(rng, &a);
    let diff = create_diff("f", Some(&a), Some(&b), &DiffOptions::default())
        .map_err(|e| e.to_string())?
        .diff;
    let patch = match rng.below(5) {
        0 => {
            let seed = rng.pick(SEEDS);
            mutate(rng, seed)
        }
        1 | 2 => mutate(rng, &diff),
        _ => diff,
    };
    let baseline = if rng.below(2) == 0 {
        edit(rng, &a)
    } else {
        a.clone()
    };
    let options = ApplyOptions {
        fuzz: rng.below(3),
        reverse: rng.below(4) == 0,
        ignore_whitespace: rng.below(4) == 0,
    };
    let allowed = [
        "PATCH_PARSE",
        "PATCH_CONFLICT",
        "PATCH_BINARY",
        "INVALID_ARGUMENT",
    ];
    for result in [
        patchkit_core::apply_patch_with(&baseline, &patch, None, &options).map(|_| ()),
        check_patch(&baseline, &patch, &options).map(|_| ()),
        reverse_patch(&patch).map(|_| ()),
        apply_patches(
            &BTreeMap::from([("f".to_owned(), Some(baseline.clone()))]),
            &patch,
            &PatchesOptions::default(),
        )
        .map(|_| ()),
    ] {
        if let Err(e) = result {
            if !allowed.contains(&e.code()) {
                return Err(format!("unexpected {e:?} for {baseline:?} / {patch:?}"));
            }
        }
    }
    Ok(())
}

/// For random a, b: applying diff(a, b) to a gives b, for every algorithm
/// and both formats, from text and from bytes; the reverse patch gives a back.
fn target_roundtrip(rng: &mut Rng) -> Result<(), Failure> {
    let a = text(rng, 40);
    let b = if rng.below(2) == 0 {
        edit(rng, &a)
    } else {
        text(rng, 40)
    };
    let before = if rng.below(5) == 0 {
        None
    } else {
        Some(a.as_str())
    };
    let after = if rng.below(8) == 0 {
        None
    } else {
        Some(b.as_str())
    };
    let budget = if rng.below(2) == 0 {
        Budget::default()
    } else {
        Budget {
            max_work: 1 + rng.below(200) as u64,
            ..Budget::default()
        }
    };
    for algorithm in Algorithm::NAMES.map(|n| Algorithm::from_name(n).expect("a listed name")) {
        for format in Format::NAMES.map(|n| Format::from_name(n).expect("a listed name")) {
            let options = DiffOptions {
                context: rng.below(5) as u32,
                budget,
                format,
                algorithm,
                ..DiffOptions::default()
            };
            let where_ = || format!("{algorithm:?}/{format:?}: {before:?} -> {after:?}");
            let patch = create_diff("f", before, after, &options)
                .map_err(|e| format!("{}: {e:?}", where_()))?;
            let bytes = create_diff_bytes(
                "f",
                before.map(str::as_bytes),
                after.map(str::as_bytes),
                &options,
                Cancel::default(),
            )
            .map_err(|e| format!("{} (bytes): {e:?}", where_()))?;
            if bytes.diff != patch.diff || bytes.hunks != patch.hunks {
                return Err(format!(
                    "{}: the bytes path wrote another diff\n{}\n{}",
                    where_(),
                    patch.diff,
                    bytes.diff
                ));
            }
            if patch.diff.is_empty() {
                if before.unwrap_or("") != after.unwrap_or("") {
                    return Err(format!("{}: empty diff for different sides", where_()));
                }
                continue;
            }
            let got = apply_patch(before.unwrap_or(""), &patch.diff, None)
                .map_err(|e| format!("{}: {e:?}\n{}", where_(), patch.diff))?;
            if got != after.unwrap_or("") {
                return Err(format!(
                    "{}: round trip gave {got:?}\n{}",
                    where_(),
                    patch.diff
                ));
            }
            let back = apply_patch(
                after.unwrap_or(""),
                &reverse_patch(&patch.diff).map_err(|e| e.to_string())?,
                None,
            );
            if back.as_deref().ok() != Some(before.unwrap_or(""))
                && before.is_some_and(|t| t.ends_with('\n') || t.is_empty())
            {
                return Err(format!(
                    "{}: reverse gave {back:?}\n{}",
                    where_(),
                    patch.diff
                ));
            }
        }
    }
    Ok(())
}

/// Multi-file patches: several files created, deleted and changed, in git's
/// format (and jsdiff's for changes), applied with `apply_patches` give the
/// new files; a mutated patch applies whole or fails whole with a known code.
fn target_patches(rng: &mut Rng) -> Result<(), Failure> {
    let mut files = BTreeMap::new();
    let mut want = BTreeMap::new();
    let mut patch = String::new();
    for i in 0..1 + rng.below(5) {
        let path = format!("d{}/f{i}.txt", rng.below(2));
        let old = (rng.below(5) != 0).then(|| text(rng, 20));
        let new = match rng.below(5) {
            0 => None,
            1 => Some(text(rng, 20)),
            _ => Some(edit(rng, old.as_deref().unwrap_or(""))),
        };
        let format = if old.is_some() && new.is_some() && rng.below(2) == 0 {
            Format::Jsdiff
        } else {
            Format::Git
        };
        let options = DiffOptions {
            format,
            ..DiffOptions::default()
        };
        let diff = create_diff(&path, old.as_deref(), new.as_deref(), &options)
            .map_err(|e| e.to_string())?
            .diff;
        if diff.is_empty() || (format == Format::Jsdiff && old == new) {
            continue;
        }
        patch.push_str(&diff);
        files.insert(path.clone(), old);
        want.insert(path, new);
    }
    if patch.is_empty() {
        return Ok(());
    }
    // Each part's own default strip: 1 for git's a/ b/ names, 0 for jsdiff's.
    let options = PatchesOptions::default();
    let result = apply_patches(&files, &patch, &options).map_err(|e| format!("{e:?}\n{patch}"))?;
    let got: BTreeMap<_, _> = result.files.into_iter().collect();
    if got != want {
        return Err(format!(
            "apply_patches gave {got:?}, want {want:?}\n{patch}"
        ));
    }
    let mutated = mutate(rng, &patch);
    match apply_patches(&files, &mutated, &options) {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.code(), "PATCH_PARSE" | "PATCH_CONFLICT" | "PATCH_BINARY") => Ok(()),
        Err(e) => Err(format!("unexpected {e:?}\n{mutated}")),
    }
}

fn target_engines(rng: &mut Rng) -> Result<(), Failure> {
    let alphabet = 2 + rng.below(6) as u32;
    let old: Vec<u32> = (0..rng.below(120))
        .map(|_| rng.below(alphabet as usize) as u32)
        .collect();
    let new: Vec<u32> = (0..rng.below(120))
        .map(|_| rng.below(alphabet as usize) as u32)
        .collect();
    let ids = Interned {
        old: old.clone(),
        new: new.clone(),
        distinct: alphabet,
    };
    let js = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false)
        .map_err(|e| e.to_string())?;
    let my =
        engine::myers::diff(&old, &new, u64::MAX, Cancel::default()).map_err(|e| e.to_string())?;
    if !runs_are_valid(&js.runs, &old, &new) || !runs_are_valid(&my, &old, &new) {
        return Err(format!("invalid runs for {old:?} {new:?}"));
    }
    if edit_count(&js.runs) != edit_count(&my) {
        return Err(format!("edit counts differ for {old:?} {new:?}"));
    }
    Ok(())
}

fn target_paths(rng: &mut Rng, root: &std::path::Path) -> Result<(), Failure> {
    const PARTS: &[&str] = &[
        "..", ".", "a", "b", "out", "in", "", "/", "\0", "c.txt", "a/..", "~",
    ];
    let path: String = (0..1 + rng.below(6))
        .map(|_| rng.pick(PARTS))
        .collect::<Vec<_>>()
        .join("/");
    let canonical = std::fs::canonicalize(root).map_err(|e| e.to_string())?;
    match confine(root, &path) {
        Ok(p) if !p.starts_with(&canonical) => Err(format!(
            "{path:?} resolved outside the root: {}",
            p.display()
        )),
        Ok(_) => Ok(()),
        Err(e) if matches!(e.code(), "PATH_ESCAPE" | "IO_ERROR") => Ok(()),
        Err(e) => Err(format!("{path:?}: unexpected {e:?}")),
    }
}

fn paths_root() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("patchkit-fuzz-{}", std::process::id()));
    let outside = std::env::temp_dir().join(format!("patchkit-fuzz-out-{}", std::process::id()));
    let _ = std::fs::create_dir_all(root.join("a/b"));
    let _ = std::fs::create_dir_all(&outside);
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(&outside, root.join("out"));
        let _ = std::os::unix::fs::symlink(root.join("a"), root.join("in"));
    }
    root
}

fn run(name: &str, seconds: u64, seed: u64) -> bool {
    let mut rng = Rng(seed.max(1)); // xorshift never reaches 0: a failure's state replays it
    let root = paths_root();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions = 0u64;
    while Instant::now() < deadline {
        let state = rng.0;
        let outcome = catch_unwind(AssertUnwindSafe(|| match name {
            "parse" => target_parse(&mut rng),
            "apply" => target_apply(&mut rng),
            "roundtrip" => target_roundtrip(&mut rng),
            "patches" => target_patches(&mut rng),
            "engines" => target_engines(&mut rng),
            _ => target_paths(&mut rng, &root),
        }));
        executions += 1;
        let failure = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                format!("panic: {message}")
            }
        };
        let _ = std::fs::create_dir_all("fuzz/artifacts");
        let file = format!("fuzz/artifacts/{name}-{state:x}.txt");
        let _ = std::fs::write(
            &file,
            format!("target {name}, generator state {state:#x} (replay: npm run fuzz -- {name} 1 {state})\n{failure}\n"),
        );
        eprintln!(
            "{name}: FAILED after {executions} executions (replay: npm run fuzz -- {name} 1 {state}): {failure}\nwritten to {file}"
        );
        return false;
    }
    println!("{name}: {executions} executions in {seconds} s, no failure");
    true
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().map_or("all", String::as_str);
    let seconds = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let targets = ["parse", "apply", "roundtrip", "patches", "engines", "paths"];
    let chosen: Vec<&str> = if target == "all" {
        targets.to_vec()
    } else {
        vec![target]
    };
    if chosen.iter().any(|t| !targets.contains(t)) {
        eprintln!("usage: fuzz [{}|all] [seconds] [seed]", targets.join("|"));
        std::process::exit(2);
    }
    println!("seed {seed}");
    let ok = chosen.iter().all(|t| run(t, seconds, seed));
    std::process::exit(if ok { 0 } else { 1 });
}
