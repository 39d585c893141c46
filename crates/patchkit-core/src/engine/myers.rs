//! Linear-space Myers diff (divide and conquer on the middle snake), used
//! when the jsdiff-compatible search would exceed its budget.
//!
//! It is minimal while its work budget lasts; once spent, each remaining
//! segment becomes one removal and one insertion (after its common prefix and
//! suffix are matched), so the result is always a correct diff. It is
//! deterministic: the budget counts work, not time.

use super::{Cancel, Run, RunsBuilder};
use crate::error::Result;

/// Diffs `old` against `new`; output runs put a gap's removals before its
/// insertions.
pub fn diff(old: &[u32], new: &[u32], max_work: u64, cancel: Cancel) -> Result<Vec<Run>> {
    let max_d = (old.len() + new.len()).div_ceil(2) + 1;
    let mut m = Myers {
        old,
        new,
        forward: vec![0; 2 * max_d + 3],
        backward: vec![0; 2 * max_d + 3],
        offset: max_d as isize + 1,
        work_left: max_work,
        out: RunsBuilder::default(),
    };
    let mut stack = vec![Task::Diff {
        old: (0, old.len()),
        new: (0, new.len()),
    }];
    let mut steps = 0u32;
    while let Some(task) = stack.pop() {
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(64) {
            cancel.check()?;
        }
        match task {
            Task::Equal(len) => m.out.equal(len),
            Task::Diff { old, new } => m.segment(old, new, &mut stack),
        }
    }
    Ok(m.out.finish())
}

type Span = (usize, usize);

enum Task {
    Diff { old: Span, new: Span },
    Equal(usize),
}

struct Myers<'a> {
    old: &'a [u32],
    new: &'a [u32],
    forward: Vec<usize>,
    backward: Vec<usize>,
    /// Index of diagonal 0 in `forward` and `backward`.
    offset: isize,
    work_left: u64,
    out: RunsBuilder,
}

impl Myers<'_> {
    /// Handles one segment: trims it, then either splits it on its middle
    /// snake (pushing the halves) or emits it directly.
    fn segment(&mut self, (mut o0, mut o1): Span, (mut n0, mut n1): Span, stack: &mut Vec<Task>) {
        let start = o0;
        while o0 < o1 && n0 < n1 && self.old[o0] == self.new[n0] {
            o0 += 1;
            n0 += 1;
        }
        self.out.equal(o0 - start);
        let end = o1;
        while o0 < o1 && n0 < n1 && self.old[o1 - 1] == self.new[n1 - 1] {
            o1 -= 1;
            n1 -= 1;
        }
        let suffix = end - o1;
        self.spend((o1 - o0 + n1 - n0) as u64);
        let split = if o0 == o1 || n0 == n1 {
            None
        } else {
            self.middle_snake((o0, o1), (n0, n1))
        };
        match split {
            None => {
                self.out.delete(o1 - o0);
                self.out.insert(n1 - n0);
                self.out.equal(suffix);
            }
            Some((x, y)) => {
                stack.push(Task::Equal(suffix));
                stack.push(Task::Diff {
                    old: (x, o1),
                    new: (y, n1),
                });
                stack.push(Task::Diff {
                    old: (o0, x),
                    new: (n0, y),
                });
            }
        }
    }

    fn spend(&mut self, work: u64) -> bool {
        self.work_left = self.work_left.saturating_sub(work);
        self.work_left > 0
    }

    /// Finds a point on an optimal path through the segment (the start of
    /// its middle snake), or `None` when the budget runs out first. Both ends
    /// of the segment differ, so its edit distance is at least 2 and the point
    /// splits it into two strictly cheaper halves.
    fn middle_snake(&mut self, (o0, o1): Span, (n0, n1): Span) -> Option<(usize, usize)> {
        let (old, new) = (&self.old[o0..o1], &self.new[n0..n1]);
        let (n, m) = (old.len(), new.len());
        let delta = n as isize - m as isize;
        let odd = delta & 1 == 1;
        let offset = self.offset;
        let idx = |k: isize| (k + offset) as usize;
        // forward[k]: furthest x reached on diagonal k = x - y; backward[k]:
        // the same on the reversed segment, whose diagonal k is `delta - k`.
        self.forward[idx(1)] = 0;
        self.backward[idx(1)] = 0;
        for d in 0..=(n + m).div_ceil(2) as isize {
            if !self.spend(2 * d as u64 + 2) {
                return None;
            }
            for k in (-d..=d).step_by(2) {
                let f = &mut self.forward;
                let mut x = if k == -d || (k != d && f[idx(k - 1)] < f[idx(k + 1)]) {
                    f[idx(k + 1)]
                } else {
                    f[idx(k - 1)] + 1
                };
                let y0 = (x as isize - k) as usize;
                let (x0, mut y) = (x, y0);
                while x < n && y < m && old[x] == new[y] {
                    x += 1;
                    y += 1;
                }
                f[idx(k)] = x;
                let rk = delta - k;
                if odd && rk.abs() < d && x + self.backward[idx(rk)] >= n {
                    return Some((o0 + x0, n0 + y0));
                }
            }
            for k in (-d..=d).step_by(2) {
                let b = &mut self.backward;
                let mut x = if k == -d || (k != d && b[idx(k - 1)] < b[idx(k + 1)]) {
                    b[idx(k + 1)]
                } else {
                    b[idx(k - 1)] + 1
                };
                let mut y = (x as isize - k) as usize;
                while x < n && y < m && old[n - 1 - x] == new[m - 1 - y] {
                    x += 1;
                    y += 1;
                }
                b[idx(k)] = x;
                let fk = delta - k;
                if !odd && fk.abs() <= d && x + self.forward[idx(fk)] >= n {
                    return Some((o0 + n - x, n0 + m - y));
                }
            }
        }
        None
    }
}
