/**
 * createDiff's `format`, `algorithm` and binary content, checked with the
 * tools the formats are for: `git apply` (git 2.47) and GNU patch 2.7 must
 * accept our git-format output and produce the new text; GNU `patch -p0`
 * must apply the default format; every algorithm's diff must apply back
 * with our own applyPatch and with git apply.
 *
 * The tools run in one temporary directory with a neutral configuration (no
 * global or system git config, C locale), one file per pair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type Patchkit = typeof import('../index.js');
type FilePatch = import('../index.js').FilePatch;
const pk: Patchkit = createRequire(import.meta.url)('../index.js');

const ALGORITHMS = ['jsdiff', 'myers', 'patience', 'histogram'] as const;
const RULE = '='.repeat(67);
const NO_NL = '\\ No newline at end of file';

// ---------------------------------------------------------------------------
// Tools

const ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('GIT_') || k === 'POSIXLY_CORRECT' || k.endsWith('VERSION_CONTROL') || k === 'SIMPLE_BACKUP_SUFFIX' || k === 'QUOTING_STYLE') delete env[k];
  }
  return { ...env, LC_ALL: 'C', LANG: 'C', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
})();

function run(cmd: string, args: string[]): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: root, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

let root = '';
let serial = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-formats-'));
  const init = run('git', ['init', '-q']);
  expect(init.status, init.out).toBe(0);
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** A fresh relative path for one application (with a directory, for -p1). */
function freshPath(name = 'f.txt'): string {
  serial += 1;
  const dir = `case${serial}`;
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  return `${dir}/${name}`;
}

function readOrNull(rel: string): string | null {
  const file = path.join(root, rel);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

interface Applied {
  ok: boolean;
  out: string;
  result: string | null;
}

/** Writes `before` at a fresh path, the diff beside it, and runs `apply`. */
function applyWith(
  before: string | null,
  diffOf: (rel: string) => string,
  apply: (rel: string, diffFile: string) => Array<[string, string[]]>,
  name?: string,
): Applied {
  const rel = freshPath(name);
  if (before !== null) fs.writeFileSync(path.join(root, rel), before);
  const diffFile = `${rel.split('/')[0]}.diff`;
  fs.writeFileSync(path.join(root, diffFile), diffOf(rel));
  let out = '';
  for (const [cmd, args] of apply(rel, diffFile)) {
    const r = run(cmd, args);
    out += r.out;
    if (r.status !== 0) return { ok: false, out, result: readOrNull(rel) };
  }
  return { ok: true, out, result: readOrNull(rel) };
}

const gitApply = (_rel: string, diff: string): Array<[string, string[]]> => [
  ['git', ['apply', '--check', diff]],
  ['git', ['apply', diff]],
];
const gnuPatchP1 = (_rel: string, diff: string): Array<[string, string[]]> => [
  ['patch', ['-p1', '--dry-run', '-s', '-f', '--no-backup-if-mismatch', '-i', diff]],
  ['patch', ['-p1', '-s', '-f', '--no-backup-if-mismatch', '-i', diff]],
];
const gnuPatchP0 = (rel: string, diff: string): Array<[string, string[]]> => [
  ['patch', ['-p0', '--dry-run', '-s', '-f', '--no-backup-if-mismatch', '-i', diff, rel]],
  ['patch', ['-p0', '-s', '-f', '--no-backup-if-mismatch', '-i', diff, rel]],
];

// ---------------------------------------------------------------------------
// Pairs

type Pair = [string | null, string | null];

/** xorshift32: deterministic pairs on every machine. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function pairs(): Pair[] {
  const next = rng(0x5eed);
  const alphabet = ['a', 'b', 'c', '}', '', 'return x;', '  if (y) {', 'x\r', 'const z = 1;'];
  const lines = (max: number) => Array.from({ length: next(max + 1) }, () => alphabet[next(alphabet.length)]);
  const text = (ls: string[], finalNewline: boolean) => (ls.length === 0 ? '' : ls.join('\n') + (finalNewline ? '\n' : ''));
  const edit = (ls: string[]) => {
    const out: string[] = [];
    for (const l of ls) {
      const r = next(10);
      if (r === 0) continue;
      if (r === 1) out.push(alphabet[next(alphabet.length)]);
      if (r === 2) out.push(`${l} // changed`);
      else out.push(l);
    }
    return out;
  };
  const fixed: Pair[] = [
    [null, 'new\nfile\n'],
    [null, 'no newline'],
    [null, ''],
    ['gone\n', null],
    ['gone without newline', null],
    ['', null],
    ['a\nb', 'a\nb\nc\n'],
    ['a\nb\n', 'a\nB'],
    ['x', 'y'],
    ['x\ny', 'X\ny'],
    ['a\nb\nc', 'A\nb\nC\n'], // jsdiff misplaces its marker here (COMPAT.md, entry 8)
    ['line\r\nline2\r\n', 'line\r\nLINE2\r\n'],
    ['crlf\r\nlast\r', 'crlf\r\nLAST\r\n'],
    ['', 'from empty\n'],
    ['to empty\n', ''],
    ['same\n', 'same\n'],
  ];
  const generated: Pair[] = [];
  for (let i = 0; i < 48; i++) {
    const old = lines(24);
    const neu = next(3) === 0 ? lines(24) : edit(old);
    generated.push([text(old, next(3) !== 0), text(neu, next(3) !== 0)]);
  }
  return [...fixed, ...generated];
}

const PAIRS = pairs();

/** The pairs whose diff is not empty in the git format (git prints nothing otherwise). */
function changed([before, after]: Pair): boolean {
  return before !== after;
}

// ---------------------------------------------------------------------------

describe("format: 'git' headers", () => {
  const git = (before: string | null, after: string | null, p = 'p') => pk.createDiff(p, before, after, { format: 'git' });

  it('writes git headers for created, modified, deleted, empty and unchanged files', () => {
    expect(git(null, 'x\n').diff).toBe('diff --git a/p b/p\nnew file mode 100644\n--- /dev/null\n+++ b/p\n@@ -0,0 +1,1 @@\n+x\n');
    expect(git('x\n', null).diff).toBe('diff --git a/p b/p\ndeleted file mode 100644\n--- a/p\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
    expect(git('x\n', 'y\n').diff).toBe('diff --git a/p b/p\n--- a/p\n+++ b/p\n@@ -1,1 +1,1 @@\n-x\n+y\n');
    expect(git(null, '').diff).toBe('diff --git a/p b/p\nnew file mode 100644\n');
    expect(git('', null).diff).toBe('diff --git a/p b/p\ndeleted file mode 100644\n');
    for (const [before, after] of [['same\n', 'same\n'], ['', ''], [null, null]] as Pair[]) {
      const patch = git(before, after);
      expect(patch.diff).toBe('');
      expect(patch.hunks).toEqual([]);
      expect(patch.summary).toEqual({ path: 'p', changeType: 'modified', additions: 0, deletions: 0 });
    }
    // changeType keeps patchkit's meaning (by emptiness), the header git's (by presence).
    expect(git('', 'x\n').changeType).toBe('created');
    expect(git('', 'x\n').diff).toBe('diff --git a/p b/p\n--- a/p\n+++ b/p\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('places each side\'s marker after its last line; hunks and summary follow the text', () => {
    const p = git('a\nb\nc', 'A\nb\nC\n');
    expect(p.hunks[0].lines).toEqual(['-a', '+A', ' b', '-c', NO_NL, '+C']);
    expect(p.diff.endsWith(`@@ -1,3 +1,3 @@\n-a\n+A\n b\n-c\n${NO_NL}\n+C\n`)).toBe(true);
    expect(p.summary).toMatchObject({ additions: 2, deletions: 2, preview: '-a\n+A\n-c\n+C' });
    expect(git('x\ny', 'X\ny').hunks[0].lines).toEqual(['-x', '+X', ' y', NO_NL]);
    expect(git('a\n', 'a\nb').hunks[0].lines).toEqual([' a', '+b', NO_NL]);
    // The default format stays jsdiff's, marker misplacement included.
    expect(pk.createDiff('p', 'a\nb\nc', 'A\nb\nC\n').hunks[0].lines).toEqual(['-a', '+A', ' b', NO_NL, '-c', '+C']);
  });

  it('leaves the default format byte-identical to the explicit jsdiff one', () => {
    for (const [before, after] of PAIRS) {
      const plain = pk.createDiff('f.txt', before, after);
      expect(pk.createDiff('f.txt', before, after, { format: 'jsdiff', algorithm: 'jsdiff' })).toEqual(plain);
      expect(plain.diff.startsWith(`Index: f.txt\n${RULE}\n--- f.txt\t\n+++ f.txt\t\n`)).toBe(true);
    }
  });
});

describe("format: 'git' with git apply and GNU patch", () => {
  it('git apply --check and git apply accept it and produce the new text', () => {
    let checked = 0;
    for (const [before, after] of PAIRS.filter(changed)) {
      const r = applyWith(before, (rel) => pk.createDiff(rel, before, after, { format: 'git' }).diff, gitApply);
      expect(r.ok, `${r.out}\n${JSON.stringify([before, after])}`).toBe(true);
      expect(r.result, JSON.stringify([before, after])).toBe(after);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('GNU patch -p1 --dry-run and patch -p1 accept it and produce the new text', () => {
    let checked = 0;
    for (const [before, after] of PAIRS.filter(changed)) {
      const r = applyWith(before, (rel) => pk.createDiff(rel, before, after, { format: 'git' }).diff, gnuPatchP1);
      expect(r.ok, `${r.out}\n${JSON.stringify([before, after])}`).toBe(true);
      // GNU patch leaves an emptied deleted file away, like git.
      expect(r.result, JSON.stringify([before, after])).toBe(after);
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('quotes names as git does, so git apply finds files with spaces and non-ASCII names', () => {
    for (const name of ['with space.txt', 'caf\u00e9.txt', 'tab\there.txt', 'quote"d.txt']) {
      const r = applyWith('one\ntwo\n', (rel) => pk.createDiff(rel, 'one\ntwo\n', 'one\n2\n', { format: 'git' }).diff, gitApply, name);
      expect(r.ok, r.out).toBe(true);
      expect(r.result).toBe('one\n2\n');
    }
    expect(pk.createDiff('a b', 'x\n', 'y\n', { format: 'git' }).diff.split('\n').slice(0, 3)).toEqual(['diff --git a/a b b/a b', '--- a/a b\t', '+++ b/a b\t']);
    expect(pk.createDiff('caf\u00e9', 'x\n', 'y\n', { format: 'git' }).diff.split('\n')[0]).toBe('diff --git "a/caf\\303\\251" "b/caf\\303\\251"');
  });
});

describe('the default format with GNU patch -p0', () => {
  it('applies for every pair where jsdiff places its markers where GNU patch reads them', () => {
    let checked = 0;
    let misplaced = 0;
    for (const [before, after] of PAIRS) {
      const patch = pk.createDiff('f.txt', before, after);
      if (patch.hunks.length === 0) continue; // nothing for patch to do
      const lines = (p: FilePatch) => p.hunks.flatMap((h) => h.lines);
      // Same hunks as the git format: they differ only where jsdiff misplaces
      // `\ No newline at end of file` (COMPAT.md, entry 8), which GNU patch
      // then reads as another line's; those are counted, not applied.
      const gitLines = lines(pk.createDiff('f.txt', before, after, { format: 'git' }));
      if (JSON.stringify(lines(patch)) !== JSON.stringify(gitLines)) {
        const unmarked = (ls: string[]) => ls.filter((l) => l !== NO_NL);
        expect(unmarked(lines(patch))).toEqual(unmarked(gitLines));
        misplaced++;
        continue;
      }
      const r = applyWith(before ?? '', () => patch.diff, gnuPatchP0);
      expect(r.ok, `${r.out}\n${JSON.stringify([before, after])}`).toBe(true);
      expect(r.result ?? '', JSON.stringify([before, after])).toBe(after ?? '');
      checked++;
    }
    console.log(`[formats] GNU patch -p0 applied ${checked} default-format diffs; ${misplaced} with jsdiff-misplaced markers skipped`);
    expect(misplaced).toBeGreaterThan(0); // the fixed case above, at least
    expect(checked).toBeGreaterThan(40);
  });
});

describe('algorithms', () => {
  it('every algorithm applies back exactly with applyPatch and with git apply', () => {
    for (const algorithm of ALGORITHMS) {
      for (const [before, after] of PAIRS) {
        const plain = pk.createDiff('f.txt', before, after, { algorithm });
        if (before !== null) expect(pk.applyPatch(before, plain), `${algorithm} ${JSON.stringify([before, after])}`).toBe(after ?? '');
        if (!changed([before, after])) continue;
        const r = applyWith(before, (rel) => pk.createDiff(rel, before, after, { algorithm, format: 'git' }).diff, gitApply);
        expect(r.ok, `${algorithm}: ${r.out}`).toBe(true);
        expect(r.result, `${algorithm} ${JSON.stringify([before, after])}`).toBe(after);
      }
    }
  });

  it("'myers' changes no more lines than the default; all of them align a moved function and apply back", () => {
    const size = (p: FilePatch) => p.summary.additions + p.summary.deletions;
    for (const [before, after] of PAIRS) {
      expect(size(pk.createDiff('f', before, after, { algorithm: 'myers' }))).toBeLessThanOrEqual(size(pk.createDiff('f', before, after)));
    }
    // A swapped pair of functions: each algorithm keeps one of them as context.
    const before = 'function a() {\n  one();\n}\n\nfunction b() {\n  two();\n}\n';
    const after = 'function b() {\n  two();\n}\n\nfunction a() {\n  one();\n}\n';
    for (const algorithm of ALGORITHMS) {
      const patch = pk.createDiff('f', before, after, { algorithm });
      expect(patch.hunks[0].lines.filter((l) => l.startsWith(' ')).length, algorithm).toBeGreaterThanOrEqual(3);
      expect(pk.applyPatch(before, patch)).toBe(after);
    }
  });

  it('batches, async calls and the cache take the options too', async () => {
    const cache = new pk.DiffCache();
    const entries = PAIRS.slice(0, 10).map(([baseline, proposed], i) => ({ path: `f${i}`, baseline, proposed }));
    for (const algorithm of ALGORITHMS) {
      const options = { algorithm, format: 'git' as const };
      const batch = await pk.createDiffs(entries, options);
      const sync = pk.createDiffsSync(entries, { ...options, cache });
      const cached = pk.createDiffsSync(entries, { ...options, cache });
      for (const [i, e] of entries.entries()) {
        const single = pk.createDiff(e.path, e.baseline, e.proposed, options);
        expect(batch[i]).toEqual(single);
        expect(sync[i]).toEqual(single);
        expect(cached[i]).toEqual(single);
        expect(await pk.createDiffAsync(e.path, e.baseline, e.proposed, options)).toEqual(single);
      }
    }
    expect(cache.stats().hits).toBe(entries.length * ALGORITHMS.length);
  });
});

describe('binary content', () => {
  const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
  const a = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]);
  const b = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x02, 0xfe]);

  it('gives no hunks, zero counts, no preview, digests of the raw bytes', () => {
    const patch = pk.createDiff('img/logo.png', a, b);
    expect(patch).toEqual({
      path: 'img/logo.png',
      changeType: 'modified',
      hunks: [],
      diff: `Index: img/logo.png\n${RULE}\nBinary files img/logo.png and img/logo.png differ\n`,
      summary: { path: 'img/logo.png', changeType: 'modified', additions: 0, deletions: 0 },
      shaBefore: sha(a),
      shaAfter: sha(b),
    });
    expect('preview' in patch.summary).toBe(false);
  });

  it('writes git\'s binary line, with /dev/null and modes for an absent side', () => {
    const git = (x: Uint8Array | null, y: Uint8Array | null) => pk.createDiff('p.bin', x, y, { format: 'git' });
    expect(git(a, b).diff).toBe('diff --git a/p.bin b/p.bin\nBinary files a/p.bin and b/p.bin differ\n');
    expect(git(null, b).diff).toBe('diff --git a/p.bin b/p.bin\nnew file mode 100644\nBinary files /dev/null and b/p.bin differ\n');
    expect(git(a, null).diff).toBe('diff --git a/p.bin b/p.bin\ndeleted file mode 100644\nBinary files a/p.bin and /dev/null differ\n');
    expect(git(null, b).changeType).toBe('created');
    expect(git(a, null)).toMatchObject({ changeType: 'deleted', shaAfter: null, hunks: [] });
    // A binary side against a text side is binary too.
    expect(git(a, Buffer.from('text\n')).diff).toBe('diff --git a/p.bin b/p.bin\nBinary files a/p.bin and b/p.bin differ\n');
  });

  it('identical binary sides diff like identical text files', () => {
    expect(pk.createDiff('p', a, Buffer.from(a)).diff).toBe(`Index: p\n${RULE}\n--- p\t\n+++ p\t\n`);
    expect(pk.createDiff('p', a, Uint8Array.from(a), { format: 'git' })).toMatchObject({ diff: '', hunks: [] });
  });

  it('uses git\'s rule: a NUL among the first 8,000 bytes; strings are never binary', () => {
    const late = Buffer.concat([Buffer.alloc(8000, 'a'), Buffer.from([0])]);
    expect(pk.createDiff('p', late, Buffer.from('b\n')).hunks.length).toBe(1);
    const early = Buffer.from(late);
    early[7999] = 0;
    expect(pk.createDiff('p', early, Buffer.from('b\n')).hunks).toEqual([]);
    expect(pk.createDiff('p', 'a\0\n', 'b\0\n').hunks.length).toBe(1);
    // Text bytes still diff as text, decoded as buffer.toString('utf8') does.
    const invalid = Buffer.from([0x61, 0xff, 0x0a]);
    expect(pk.createDiff('p', 'x\n', invalid)).toEqual(pk.createDiff('p', 'x\n', invalid.toString('utf8')));
  });

  it('reaches the core undecoded through batches, async calls and the cache', async () => {
    const cache = new pk.DiffCache();
    const expected = pk.createDiff('p', a, b, { format: 'git' });
    expect(await pk.createDiffAsync('p', a, b, { format: 'git' })).toEqual(expected);
    expect((await pk.createDiffs([{ path: 'p', baseline: a, proposed: b }], { format: 'git' }))[0]).toEqual(expected);
    expect(pk.createDiff('p', a, b, { format: 'git', cache })).toEqual(expected);
    expect(pk.createDiff('p', a, b, { format: 'git', cache })).toEqual(expected);
    // The same bytes as a string are text: not served from the binary entry.
    const asText = pk.createDiff('p', a.toString('latin1'), b.toString('latin1'), { format: 'git', cache });
    expect(asText.hunks.length).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });
});

describe('invalid options', () => {
  it('throws INVALID_ARGUMENT TypeErrors listing the allowed values', () => {
    const codeAndMessage = (options: object) => {
      try {
        pk.createDiff('f', 'a', 'b', options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
      return 'no error';
    };
    expect(codeAndMessage({ format: 'svn' })).toBe("INVALID_ARGUMENT: options.format must be one of 'jsdiff', 'git', got 'svn'");
    expect(codeAndMessage({ format: 1 })).toBe("INVALID_ARGUMENT: options.format must be one of 'jsdiff', 'git', got number");
    expect(codeAndMessage({ algorithm: 'Myers' })).toBe(
      "INVALID_ARGUMENT: options.algorithm must be one of 'jsdiff', 'myers', 'patience', 'histogram', got 'Myers'",
    );
    expect(codeAndMessage({ algorithm: null })).toMatch(/^INVALID_ARGUMENT: options.algorithm must be one of/);
    expect(codeAndMessage({ format: undefined, algorithm: undefined })).toBe('no error');
  });
});
