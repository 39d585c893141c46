/**
 * Real edits from a git repository's history: (old, new) contents of every
 * text file changed between each commit and its first parent. Read at test
 * time through the git CLI; nothing is copied into the repository.
 */
import { spawnSync } from 'node:child_process';

export interface HistoryPair {
  commit: string;
  path: string;
  before: string | null;
  after: string | null;
}

export interface HistoryScan {
  gitAvailable: boolean;
  commits: number;
  /** commit/path entries reported changed between consecutive commits */
  touched: number;
  /** paths changed by two or more commits */
  pathsTouchedTwice: number;
  pairs: HistoryPair[];
  skippedBinary: number;
  skippedLarge: number;
  /** entries left out because `maxPairs` was reached */
  skippedOverLimit: number;
}

export interface HistoryOptions {
  maxBytes?: number;
  maxPairs?: number;
}

function git(repo: string, args: string[]): { ok: boolean; stdout: Buffer } {
  const result = spawnSync('git', ['-C', repo, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return { ok: result.status === 0 && !result.error, stdout: result.stdout ?? Buffer.alloc(0) };
}

function lines(buffer: Buffer, separator = '\n'): string[] {
  return buffer
    .toString('utf8')
    .split(separator)
    .filter((l) => l.length > 0);
}

type Blob = { kind: 'missing' } | { kind: 'large' } | { kind: 'binary' } | { kind: 'text'; text: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readBlob(repo: string, rev: string, path: string, maxBytes: number): Blob {
  const size = git(repo, ['cat-file', '-s', `${rev}:${path}`]);
  if (!size.ok) return { kind: 'missing' };
  if (Number.parseInt(size.stdout.toString('utf8'), 10) > maxBytes) return { kind: 'large' };
  const blob = git(repo, ['cat-file', 'blob', `${rev}:${path}`]);
  if (!blob.ok) return { kind: 'missing' };
  if (blob.stdout.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: utf8.decode(blob.stdout) };
  } catch {
    return { kind: 'binary' };
  }
}

export function scanHistory(repo: string, options: HistoryOptions = {}): HistoryScan {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxPairs = options.maxPairs ?? Number.POSITIVE_INFINITY;
  const scan: HistoryScan = {
    gitAvailable: spawnSync('git', ['--version']).status === 0,
    commits: 0,
    touched: 0,
    pathsTouchedTwice: 0,
    pairs: [],
    skippedBinary: 0,
    skippedLarge: 0,
    skippedOverLimit: 0,
  };
  if (!scan.gitAvailable) return scan;
  const log = git(repo, ['log', '--format=%H %P']);
  if (!log.ok) return scan; // not a repository, or no commit yet

  const commits = lines(log.stdout).map((l) => l.split(' '));
  scan.commits = commits.length;
  const touchCount = new Map<string, number>();

  for (const [commit, parent] of commits) {
    if (!parent) continue; // root commit: nothing to compare with
    const changed = git(repo, ['diff', '--name-only', '-z', '--no-renames', parent, commit]);
    if (!changed.ok) continue;
    for (const path of lines(changed.stdout, '\0')) {
      scan.touched++;
      touchCount.set(path, (touchCount.get(path) ?? 0) + 1);
      if (scan.pairs.length >= maxPairs) {
        scan.skippedOverLimit++;
        continue;
      }
      const before = readBlob(repo, parent, path, maxBytes);
      const after = readBlob(repo, commit, path, maxBytes);
      if (before.kind === 'large' || after.kind === 'large') {
        scan.skippedLarge++;
      } else if (before.kind === 'binary' || after.kind === 'binary') {
        scan.skippedBinary++;
      } else {
        scan.pairs.push({
          commit,
          path,
          before: before.kind === 'text' ? before.text : null,
          after: after.kind === 'text' ? after.text : null,
        });
      }
    }
  }
  scan.pathsTouchedTwice = [...touchCount.values()].filter((n) => n >= 2).length;
  return scan;
}
