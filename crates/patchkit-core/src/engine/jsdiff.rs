//! jsdiff 5.2's `diffLines` search, reproduced exactly on interned lines.
//!
//! It is Myers' greedy forward search with jsdiff's own choices, all of which
//! shape the output and must not be "fixed":
//! - on each diagonal it extends the neighbour whose old position is further,
//!   preferring a removal on ties (`removePath.oldPos + 1 < addPath.oldPos`);
//! - once a path touches the right or bottom edge, the diagonals beyond it
//!   are no longer visited (and the loop bound then keeps its parity, so on
//!   later rounds it may visit diagonals of the other parity);
//! - a path is a linked list of components; consecutive edits of one kind
//!   merge into one component;
//! - when the path is read back, a removal that follows an insertion is
//!   swapped in front of it, in one forward pass.
//!
//! Paths share their tails, so components live in an arena of 8-byte nodes
//! that is compacted (mark and slide) whenever it doubles, keeping memory at
//! the size of what live paths reference.

use super::{Budget, Cancel, Run, RunKind, Stop};

const NONE: u32 = u32::MAX;
const KIND_BITS: u32 = 2;
const COMMON: u32 = 0;
const ADDED: u32 = 1;
const REMOVED: u32 = 2;
/// The arena is first compacted when it reaches this many nodes.
const FIRST_GC: usize = 1 << 20;

/// One component: `count` lines of one kind, linked to the previous one.
#[derive(Clone, Copy)]
struct Node {
    prev: u32,
    /// `count << KIND_BITS | kind`
    packed: u32,
}

impl Node {
    fn kind(self) -> u32 {
        self.packed & ((1 << KIND_BITS) - 1)
    }
    fn count(self) -> u32 {
        self.packed >> KIND_BITS
    }
}

/// The furthest-reaching path on one diagonal. `old_pos == UNSET` stands for
/// jsdiff's `undefined`.
#[derive(Clone, Copy)]
struct Path {
    old_pos: i32,
    last: u32,
}

const UNSET: i32 = i32::MIN;
const EMPTY: Path = Path {
    old_pos: UNSET,
    last: NONE,
};

impl Path {
    fn is_set(self) -> bool {
        self.old_pos != UNSET
    }
}

/// `bestPath` of jsdiff: paths indexed by diagonal, which may be negative.
struct Diagonals {
    paths: Vec<Path>,
    /// Index of diagonal 0 in `paths`.
    zero: i64,
}

impl Diagonals {
    fn new() -> Self {
        Diagonals {
            paths: vec![EMPTY; 64],
            zero: 32,
        }
    }

    /// Makes diagonals `-radius..=radius` addressable.
    fn reserve(&mut self, radius: i64) {
        if radius < self.zero && self.zero + radius < self.paths.len() as i64 {
            return;
        }
        let zero = (radius + 1).max(self.zero * 2);
        let mut paths = vec![EMPTY; (2 * zero + 1) as usize];
        let shift = (zero - self.zero) as usize;
        paths[shift..shift + self.paths.len()].copy_from_slice(&self.paths);
        self.paths = paths;
        self.zero = zero;
    }

    fn get(&self, diagonal: i64) -> Path {
        self.paths[(diagonal + self.zero) as usize]
    }

    fn set(&mut self, diagonal: i64, path: Path) {
        self.paths[(diagonal + self.zero) as usize] = path;
    }
}

struct Search<'a> {
    old: &'a [u32],
    new: &'a [u32],
    nodes: Vec<Node>,
    next_gc: usize,
    work: u64,
    budget: Budget,
}

impl Search<'_> {
    fn push(&mut self, prev: u32, count: u32, kind: u32) -> u32 {
        self.nodes.push(Node {
            prev,
            packed: count << KIND_BITS | kind,
        });
        (self.nodes.len() - 1) as u32
    }

    /// jsdiff's `addToPath`: one more added or removed line.
    fn add_to_path(&mut self, path: Path, kind: u32, old_inc: i32) -> Path {
        let last = path.last;
        let node = if last != NONE && self.nodes[last as usize].kind() == kind {
            let n = self.nodes[last as usize];
            self.push(n.prev, n.count() + 1, kind)
        } else {
            self.push(last, 1, kind)
        };
        Path {
            old_pos: path.old_pos + old_inc,
            last: node,
        }
    }

    /// jsdiff's `extractCommon`: follows the snake; returns the new position.
    fn extract_common(&mut self, path: &mut Path, diagonal: i64) -> i64 {
        let (old, new) = (self.old, self.new);
        let mut old_pos = path.old_pos as i64;
        let mut new_pos = old_pos - diagonal;
        let start = old_pos;
        while new_pos + 1 < new.len() as i64
            && old_pos + 1 < old.len() as i64
            && new[(new_pos + 1) as usize] == old[(old_pos + 1) as usize]
        {
            new_pos += 1;
            old_pos += 1;
        }
        let common = (old_pos - start) as u32;
        self.work += common as u64 + 1;
        if common > 0 {
            path.last = self.push(path.last, common, COMMON);
        }
        path.old_pos = old_pos as i32;
        new_pos
    }

    /// Compacts the arena to the nodes reachable from `best`.
    fn collect(&mut self, best: &mut Diagonals) {
        let mut remap = vec![NONE; self.nodes.len()];
        for path in best.paths.iter().filter(|p| p.is_set()) {
            let mut n = path.last;
            while n != NONE && remap[n as usize] == NONE {
                remap[n as usize] = 0;
                n = self.nodes[n as usize].prev;
            }
        }
        // Nodes only link to older nodes, so one forward pass slides them.
        let mut live = 0u32;
        for i in 0..self.nodes.len() {
            if remap[i] == NONE {
                continue;
            }
            let mut node = self.nodes[i];
            if node.prev != NONE {
                node.prev = remap[node.prev as usize];
            }
            self.nodes[live as usize] = node;
            remap[i] = live;
            live += 1;
        }
        self.nodes.truncate(live as usize);
        for path in best
            .paths
            .iter_mut()
            .filter(|p| p.is_set() && p.last != NONE)
        {
            path.last = remap[path.last as usize];
        }
        self.next_gc = (2 * live as usize).max(FIRST_GC);
    }

    fn over_budget(&self, best: &Diagonals) -> bool {
        let memory = self.nodes.len() * std::mem::size_of::<Node>()
            + best.paths.len() * std::mem::size_of::<Path>();
        self.work > self.budget.max_work || memory as u64 > self.budget.max_memory
    }

    /// Reads a finished path back into runs, in jsdiff's output order.
    fn runs(&self, last: u32) -> Vec<Run> {
        let mut components = Vec::new();
        let mut n = last;
        while n != NONE {
            let node = self.nodes[n as usize];
            components.push(node);
            n = node.prev;
        }
        components.reverse();
        for i in 1..components.len() {
            if components[i].kind() == REMOVED && components[i - 1].kind() == ADDED {
                components.swap(i - 1, i);
            }
        }
        components
            .iter()
            .map(|c| Run {
                kind: match c.kind() {
                    COMMON => RunKind::Equal,
                    ADDED => RunKind::Insert,
                    _ => RunKind::Delete,
                },
                len: c.count(),
            })
            .collect()
    }
}

/// Runs jsdiff 5.2's search. Gives up with [`Stop::OverBudget`] once the
/// budget is spent, or [`Stop::Cancelled`] when `cancel` is set.
pub(crate) fn diff(
    old: &[u32],
    new: &[u32],
    budget: Budget,
    cancel: Cancel,
) -> Result<Vec<Run>, Stop> {
    let (old_len, new_len) = (old.len() as i64, new.len() as i64);
    let mut s = Search {
        old,
        new,
        nodes: Vec::new(),
        next_gc: FIRST_GC,
        work: 0,
        budget,
    };
    let mut best = Diagonals::new();
    let mut start = Path {
        old_pos: -1,
        last: NONE,
    };
    let new_pos = s.extract_common(&mut start, 0);
    if start.old_pos as i64 + 1 >= old_len && new_pos + 1 >= new_len {
        return Ok(if new_len == 0 {
            vec![]
        } else {
            vec![super::equal(new_len as u32)]
        });
    }
    best.set(0, start);

    let (mut min_diagonal, mut max_diagonal) = (i64::MIN, i64::MAX);
    let max_edit_length = old_len + new_len;
    let mut edit_length: i64 = 1;
    while edit_length <= max_edit_length {
        if let Err(e) = cancel.check() {
            return Err(Stop::Cancelled(e));
        }
        best.reserve(edit_length + 1);
        if s.nodes.len() >= s.next_gc {
            s.collect(&mut best);
        }
        if s.over_budget(&best) {
            return Err(Stop::OverBudget);
        }
        let mut diagonal = min_diagonal.max(-edit_length);
        while diagonal <= max_diagonal.min(edit_length) {
            if s.work > budget.max_work {
                return Err(Stop::OverBudget);
            }
            let remove_path = best.get(diagonal - 1);
            let add_path = best.get(diagonal + 1);
            if remove_path.is_set() {
                best.set(diagonal - 1, EMPTY);
            }
            let can_add = add_path.is_set() && {
                let add_new_pos = add_path.old_pos as i64 - diagonal;
                0 <= add_new_pos && add_new_pos < new_len
            };
            let can_remove = remove_path.is_set() && (remove_path.old_pos as i64 + 1) < old_len;
            if !can_add && !can_remove {
                best.set(diagonal, EMPTY);
                diagonal += 2;
                continue;
            }
            let mut path = if !can_remove || (can_add && remove_path.old_pos + 1 < add_path.old_pos)
            {
                s.add_to_path(add_path, ADDED, 0)
            } else {
                s.add_to_path(remove_path, REMOVED, 1)
            };
            let new_pos = s.extract_common(&mut path, diagonal);
            if path.old_pos as i64 + 1 >= old_len && new_pos + 1 >= new_len {
                return Ok(s.runs(path.last));
            }
            best.set(diagonal, path);
            if path.old_pos as i64 + 1 >= old_len {
                max_diagonal = max_diagonal.min(diagonal - 1);
            }
            if new_pos + 1 >= new_len {
                min_diagonal = min_diagonal.max(diagonal + 1);
            }
            diagonal += 2;
        }
        edit_length += 1;
    }
    // jsdiff returns `undefined` here; every input reaches the end before
    // `old_len + new_len` edits, so this is not reached.
    Err(Stop::OverBudget)
}
