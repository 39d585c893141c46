//! Maps every distinct line of both sides to a small integer, so that the
//! engines compare `u32`s instead of byte strings. Built once per side.

use crate::tokenize::Lines;
use rustc_hash::FxHashMap;

/// Both sides of a diff as interned line ids.
#[derive(Debug, Default)]
pub struct Interned {
    pub old: Vec<u32>,
    pub new: Vec<u32>,
    /// Number of distinct lines over both sides (ids are `0..distinct`).
    pub distinct: u32,
}

impl Interned {
    pub fn new<'a>(old_text: &'a [u8], old: &Lines, new_text: &'a [u8], new: &Lines) -> Self {
        let mut ids: FxHashMap<&[u8], u32> =
            FxHashMap::with_capacity_and_hasher(old.len() + new.len(), Default::default());
        let mut intern = |text: &'a [u8], lines: &Lines| -> Vec<u32> {
            (0..lines.len())
                .map(|i| {
                    let next = ids.len() as u32;
                    *ids.entry(lines.get(text, i)).or_insert(next)
                })
                .collect()
        };
        let old_ids = intern(old_text, old);
        let new_ids = intern(new_text, new);
        let distinct = ids.len() as u32;
        Interned {
            old: old_ids,
            new: new_ids,
            distinct,
        }
    }

    /// True when no line of the old side occurs in the new side.
    pub fn nothing_in_common(&self) -> bool {
        let mut in_old = vec![false; self.distinct as usize];
        for &id in &self.old {
            in_old[id as usize] = true;
        }
        !self.new.iter().any(|&id| in_old[id as usize])
    }

    /// A lower bound on the edit distance (lines removed + added): what the
    /// multiset intersection of both sides leaves unmatched.
    pub fn min_edit_distance(&self) -> usize {
        let mut count = vec![0u32; self.distinct as usize];
        for &id in &self.old {
            count[id as usize] += 1;
        }
        let mut matched = 0usize;
        for &id in &self.new {
            let c = &mut count[id as usize];
            if *c > 0 {
                *c -= 1;
                matched += 1;
            }
        }
        self.old.len() + self.new.len() - 2 * matched
    }
}
