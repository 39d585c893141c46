//! Properties of the diff engines on random inputs: every engine yields
//! valid runs, the fallback is minimal (so it agrees with jsdiff's edit
//! count), shortcuts equal the full search, and the budget is honoured.

use patchkit_core::engine::{self, edit_count, runs_are_valid, Budget, Cancel, EngineUsed};
use patchkit_core::intern::Interned;

/// A small deterministic generator (xorshift64*), enough for test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn ids(&mut self, max_len: u64, alphabet: u64) -> Vec<u32> {
        let len = self.below(max_len + 1);
        (0..len).map(|_| self.below(alphabet) as u32).collect()
    }
    /// `base` with random runs inserted, deleted and replaced.
    fn edit(&mut self, base: &[u32], alphabet: u64) -> Vec<u32> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < base.len() {
            match self.below(10) {
                0 => i += 1 + self.below(3) as usize,
                1 => out.extend(self.ids(3, alphabet)),
                _ => {
                    out.push(base[i]);
                    i += 1;
                }
            }
        }
        out
    }
}

fn interned(old: Vec<u32>, new: Vec<u32>) -> Interned {
    let distinct = old.iter().chain(&new).max().map_or(0, |m| m + 1);
    Interned { old, new, distinct }
}

fn pairs(seed: u64, count: usize, max_len: u64, alphabet: u64) -> Vec<(Vec<u32>, Vec<u32>)> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let old = rng.ids(max_len, alphabet);
            let new = if rng.below(2) == 0 {
                rng.edit(&old, alphabet)
            } else {
                rng.ids(max_len, alphabet)
            };
            (old, new)
        })
        .collect()
}

#[test]
fn every_engine_yields_valid_runs_and_the_same_edit_count() {
    for (old, new) in pairs(0x5eed, 3000, 60, 5) {
        let ids = interned(old.clone(), new.clone());
        let js = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).unwrap();
        let my = engine::myers::diff(&old, &new, u64::MAX, Cancel::default()).unwrap();
        assert!(
            runs_are_valid(&js.runs, &old, &new),
            "jsdiff runs {old:?} {new:?}"
        );
        assert!(
            runs_are_valid(&my, &old, &new),
            "myers runs {old:?} {new:?}"
        );
        assert_eq!(
            edit_count(&js.runs),
            edit_count(&my),
            "minimality {old:?} {new:?}"
        );
    }
}

#[test]
fn shortcuts_equal_the_full_search() {
    // Inputs with no line in common, an empty side or equal sides take a
    // shortcut; the full jsdiff search must give the very same runs.
    let mut rng = Rng(42);
    for _ in 0..500 {
        let old: Vec<u32> = rng.ids(40, 4);
        let new: Vec<u32> = match rng.below(3) {
            0 => rng.ids(40, 4).iter().map(|x| x + 10).collect(),
            1 => vec![],
            _ => old.clone(),
        };
        let ids = interned(old.clone(), new.clone());
        let direct = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).unwrap();
        let full = engine::jsdiff_search(&old, &new);
        assert_eq!(direct.runs, full, "{old:?} {new:?}");
    }
}

#[test]
fn over_budget_falls_back_to_a_correct_minimal_diff() {
    let mut rng = Rng(7);
    let old: Vec<u32> = (0..2000).map(|_| rng.below(50) as u32).collect();
    let new = rng.edit(&old, 50);
    let ids = interned(old.clone(), new.clone());
    let full = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).unwrap();
    assert_eq!(full.engine, EngineUsed::Jsdiff);
    let tight = Budget {
        max_work: 5_000,
        ..Budget::default()
    };
    let fallback = engine::diff_lines(&ids, tight, Cancel::default(), false).unwrap();
    assert_eq!(fallback.engine, EngineUsed::Fallback);
    assert!(runs_are_valid(&fallback.runs, &old, &new));
    // With its own budget spent, the fallback still yields a valid diff.
    let spent = engine::myers::diff(&old, &new, 1, Cancel::default()).unwrap();
    assert!(runs_are_valid(&spent, &old, &new));
    assert!(edit_count(&spent) >= edit_count(&full.runs));
}

#[test]
fn memory_budget_is_honoured_and_compaction_keeps_results() {
    // About two million path nodes: the arena is compacted on the way.
    let mut rng = Rng(99);
    let old: Vec<u32> = (0..3000).map(|_| rng.below(8) as u32).collect();
    let new: Vec<u32> = (0..3000).map(|_| rng.below(8) as u32).collect();
    let ids = interned(old.clone(), new.clone());
    let result = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).unwrap();
    assert_eq!(result.engine, EngineUsed::Jsdiff);
    assert!(runs_are_valid(&result.runs, &old, &new));
    let my = engine::myers::diff(&old, &new, u64::MAX, Cancel::default()).unwrap();
    assert_eq!(edit_count(&result.runs), edit_count(&my));
    let small = Budget {
        max_memory: 1 << 20,
        ..Budget::default()
    };
    let limited = engine::diff_lines(&ids, small, Cancel::default(), false).unwrap();
    assert_eq!(limited.engine, EngineUsed::Fallback);
    assert!(runs_are_valid(&limited.runs, &old, &new));
}

#[test]
fn a_set_cancel_flag_stops_the_search() {
    let flag = std::sync::atomic::AtomicBool::new(true);
    let ids = interned(vec![1, 2, 3, 4], vec![1, 3, 2, 4]);
    let err = engine::diff_lines(&ids, Budget::default(), Cancel::flag(&flag), false).unwrap_err();
    assert_eq!(err.code(), "ABORTED");
}

#[test]
fn every_algorithm_yields_valid_runs_and_myers_is_minimal() {
    use engine::Algorithm;
    for (old, new) in pairs(0xa160, 2000, 60, 6) {
        let ids = interned(old.clone(), new.clone());
        let js = engine::diff_lines(&ids, Budget::default(), Cancel::default(), false).unwrap();
        for algorithm in [Algorithm::Myers, Algorithm::Patience, Algorithm::Histogram] {
            let got = engine::diff_lines_with(
                &ids,
                algorithm,
                Budget::default(),
                Cancel::default(),
                false,
            )
            .unwrap();
            assert!(
                runs_are_valid(&got.runs, &old, &new),
                "{algorithm:?} {old:?} {new:?}"
            );
            if algorithm == Algorithm::Myers {
                assert_eq!(
                    edit_count(&got.runs),
                    edit_count(&js.runs),
                    "{old:?} {new:?}"
                );
            } else {
                assert!(edit_count(&got.runs) >= edit_count(&js.runs));
            }
        }
        // The engines themselves, without the shortcuts in front of them.
        let patience = engine::patience::diff(&old, &new, Cancel::default()).unwrap();
        assert!(
            runs_are_valid(&patience, &old, &new),
            "patience {old:?} {new:?}"
        );
        let histogram =
            engine::histogram::diff(&old, &new, ids.distinct, Cancel::default()).unwrap();
        assert!(
            runs_are_valid(&histogram, &old, &new),
            "histogram {old:?} {new:?}"
        );
    }
}

#[test]
fn every_algorithm_puts_removals_before_insertions_in_a_gap() {
    use engine::{Algorithm, RunKind};
    for (old, new) in pairs(0x0dd, 500, 40, 4) {
        let ids = interned(old, new);
        for algorithm in [Algorithm::Myers, Algorithm::Patience, Algorithm::Histogram] {
            let runs = engine::diff_lines_with(
                &ids,
                algorithm,
                Budget::default(),
                Cancel::default(),
                false,
            )
            .unwrap()
            .runs;
            for pair in runs.windows(2) {
                assert_ne!(pair[0].kind, pair[1].kind, "{algorithm:?}: runs are merged");
                assert!(
                    !(pair[0].kind == RunKind::Insert && pair[1].kind == RunKind::Delete),
                    "{algorithm:?}: an insertion before a removal"
                );
            }
        }
    }
}

#[test]
fn every_algorithm_stops_on_the_flag_and_falls_back_past_the_deadline() {
    use engine::Algorithm;
    let mut rng = Rng(3);
    let old: Vec<u32> = (0..3000).map(|_| rng.below(40) as u32).collect();
    let new = rng.edit(&old, 40);
    let ids = interned(old.clone(), new.clone());
    let flag = std::sync::atomic::AtomicBool::new(true);
    let past = Cancel {
        flag: None,
        deadline: Some(std::time::Instant::now()),
    };
    for algorithm in [
        Algorithm::Jsdiff,
        Algorithm::Myers,
        Algorithm::Patience,
        Algorithm::Histogram,
    ] {
        let err = engine::diff_lines_with(
            &ids,
            algorithm,
            Budget::default(),
            Cancel::flag(&flag),
            false,
        )
        .unwrap_err();
        assert_eq!(err.code(), "ABORTED", "{algorithm:?}");
        let late = engine::diff_lines_with(&ids, algorithm, Budget::default(), past, true).unwrap();
        assert!(runs_are_valid(&late.runs, &old, &new), "{algorithm:?}");
        if algorithm != Algorithm::Myers {
            assert_eq!(late.engine, EngineUsed::TimeoutFallback, "{algorithm:?}");
            let err = engine::diff_lines_with(&ids, algorithm, Budget::default(), past, false)
                .unwrap_err();
            assert_eq!(err.code(), "TIMEOUT", "{algorithm:?}");
        }
    }
}
