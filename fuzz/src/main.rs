//! A stable-toolchain fuzzer for patchkit-core: every target draws inputs
//! from a seeded generator (structured text, and mutations of valid diffs)
//! for a fixed time, runs the entry point under `catch_unwind`, and checks
//! its invariants. cargo-fuzz would add coverage guidance but needs a
//! nightly toolchain, which this project's machines do not have.
//!
//!     cargo run --release --manifest-path fuzz/Cargo.toml -- [target|all] [seconds] [seed]
//!
//! A failing input is written to `fuzz/artifacts/` and the run exits 1.

use patchkit_core::engine::{self, edit_count, runs_are_valid, Budget, Cancel};
use patchkit_core::intern::Interned;
use patchkit_core::plan::confine;
use patchkit_core::{apply_patch, check_patch, create_diff, reverse_patch, ApplyOptions, DiffOptions};
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
    "a\n", "b\n", "c\n", "}\n", "\n", "x\r\n", "  indented\n", "+++ y\n", "--- z\n", "-- w\n", "++ v\n", "\\ q\n",
    "@@ -1 +1 @@\n", "\r", "tail", "é😀\n", "\t\n",
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

/// Mutates patch text: drops, duplicates or swaps lines, flips bytes.
fn mutate(rng: &mut Rng, patch: &str) -> String {
    let mut lines: Vec<String> = patch.split_inclusive('\n').map(str::to_owned).collect();
    for _ in 0..1 + rng.below(3) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => lines.insert(i, lines[i].clone()),
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => lines[i] = lines[i].replacen(|c: char| c.is_ascii_digit(), &rng.below(10).to_string(), 1),
            4 => lines.insert(i, rng.pick(LINES).to_owned()),
            _ => lines[i] = lines[i].replace('\n', "\r\n"),
        }
    }
    lines.concat()
}

type Failure = String;

fn target_parse(rng: &mut Rng) -> Result<(), Failure> {
    let (a, b) = (text(rng, 30), text(rng, 30));
    let b = if rng.below(2) == 0 { edit(rng, &a) } else { b };
    let diff = create_diff("f", Some(&a), Some(&b), &DiffOptions::default()).map_err(|e| e.to_string())?.diff;
    let input = if rng.below(3) == 0 { text(rng, 20) } else { mutate(rng, &diff) };
    for model in [patchkit_core::lines::LineModel::Exact, patchkit_core::lines::LineModel::Jsdiff] {
        match patchkit_core::parse::parse(&input, model) {
            Ok(_) => {}
            Err(e) if e.code() == "PATCH_PARSE" => {}
            Err(e) => return Err(format!("parse gave {e:?} for {input:?}")),
        }
    }
    Ok(())
}

fn target_apply(rng: &mut Rng) -> Result<(), Failure> {
    let a = text(rng, 30);
    let b = edit(rng, &a);
    let diff = create_diff("f", Some(&a), Some(&b), &DiffOptions::default()).map_err(|e| e.to_string())?.diff;
    let patch = if rng.below(2) == 0 { mutate(rng, &diff) } else { diff };
    let baseline = if rng.below(2) == 0 { edit(rng, &a) } else { a.clone() };
    let options = ApplyOptions {
        fuzz: rng.below(3),
        reverse: rng.below(4) == 0,
        ignore_whitespace: rng.below(4) == 0,
    };
    let allowed = ["PATCH_PARSE", "PATCH_CONFLICT", "PATCH_BINARY", "INVALID_ARGUMENT"];
    for result in [
        patchkit_core::apply_patch_with(&baseline, &patch, None, &options).map(|_| ()),
        check_patch(&baseline, &patch, &options).map(|_| ()),
        reverse_patch(&patch).map(|_| ()),
    ] {
        if let Err(e) = result {
            if !allowed.contains(&e.code()) {
                return Err(format!("unexpected {e:?} for {baseline:?} / {patch:?}"));
            }
        }
    }
    Ok(())
}

fn target_roundtrip(rng: &mut Rng) -> Result<(), Failure> {
    let a = text(rng, 40);
    let b = if rng.below(2) == 0 { edit(rng, &a) } else { text(rng, 40) };
    let budgets = [Budget::default(), Budget { max_work: 1 + rng.below(200) as u64, ..Budget::default() }];
    for budget in budgets {
        let options = DiffOptions {
            context: rng.below(5) as u32,
            budget,
            ..DiffOptions::default()
        };
        let before = if rng.below(5) == 0 { None } else { Some(a.as_str()) };
        let patch = create_diff("f", before, Some(&b), &options).map_err(|e| e.to_string())?;
        let got = apply_patch(before.unwrap_or(""), &patch.diff, None).map_err(|e| format!("{e:?}: {a:?} -> {b:?}\n{}", patch.diff))?;
        if got != b {
            return Err(format!("round trip {a:?} -> {b:?} gave {got:?}\n{}", patch.diff));
        }
        let back = apply_patch(&b, &reverse_patch(&patch.diff).map_err(|e| e.to_string())?, None);
        if back.as_deref().ok() != Some(before.unwrap_or("")) && before.is_some_and(|t| t.ends_with('\n') || t.is_empty()) {
            return Err(format!("reverse of {a:?} -> {b:?} gave {back:?}"));
        }
    }
    Ok(())
}

fn target_engines(rng: &mut Rng) -> Result<(), Failure> {
    let alphabet = 2 + rng.below(6) as u32;
    let old: Vec<u32> = (0..rng.below(120)).map(|_| rng.below(alphabet as usize) as u32).collect();
    let new: Vec<u32> = (0..rng.below(120)).map(|_| rng.below(alphabet as usize) as u32).collect();
    let ids = Interned {
        old: old.clone(),
        new: new.clone(),
        distinct: alphabet,
    };
    let js = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).map_err(|e| e.to_string())?;
    let my = engine::myers::diff(&old, &new, u64::MAX, Cancel::default()).map_err(|e| e.to_string())?;
    if !runs_are_valid(&js.runs, &old, &new) || !runs_are_valid(&my, &old, &new) {
        return Err(format!("invalid runs for {old:?} {new:?}"));
    }
    if edit_count(&js.runs) != edit_count(&my) {
        return Err(format!("edit counts differ for {old:?} {new:?}"));
    }
    Ok(())
}

fn target_paths(rng: &mut Rng, root: &std::path::Path) -> Result<(), Failure> {
    const PARTS: &[&str] = &["..", ".", "a", "b", "out", "in", "", "/", "\0", "c.txt", "a/..", "~"];
    let path: String = (0..1 + rng.below(6)).map(|_| rng.pick(PARTS)).collect::<Vec<_>>().join("/");
    let canonical = std::fs::canonicalize(root).map_err(|e| e.to_string())?;
    match confine(root, &path) {
        Ok(p) if !p.starts_with(&canonical) => Err(format!("{path:?} resolved outside the root: {}", p.display())),
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
    let mut rng = Rng(seed | 1);
    let root = paths_root();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut executions = 0u64;
    while Instant::now() < deadline {
        let state = rng.0;
        let outcome = catch_unwind(AssertUnwindSafe(|| match name {
            "parse" => target_parse(&mut rng),
            "apply" => target_apply(&mut rng),
            "roundtrip" => target_roundtrip(&mut rng),
            "engines" => target_engines(&mut rng),
            _ => target_paths(&mut rng, &root),
        }));
        executions += 1;
        let failure = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(_) => "panic".to_owned(),
        };
        let _ = std::fs::create_dir_all("fuzz/artifacts");
        let file = format!("fuzz/artifacts/{name}-{state:x}.txt");
        let _ = std::fs::write(&file, format!("target {name}, generator state {state:#x}\n{failure}\n"));
        eprintln!("{name}: FAILED after {executions} executions (state {state:#x}): {failure}\nwritten to {file}");
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
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let targets = ["parse", "apply", "roundtrip", "engines", "paths"];
    let chosen: Vec<&str> = if target == "all" { targets.to_vec() } else { vec![target] };
    if chosen.iter().any(|t| !targets.contains(t)) {
        eprintln!("usage: fuzz [{}|all] [seconds] [seed]", targets.join("|"));
        std::process::exit(2);
    }
    println!("seed {seed}");
    let ok = chosen.iter().all(|t| run(t, seconds, seed));
    std::process::exit(if ok { 0 } else { 1 });
}
