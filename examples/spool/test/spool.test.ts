// A FileSpool session over a temp directory, checked against direct
// createDiff calls, the session's cache counters and the files on disk.
import { createDiff, getMetrics, type FilePatch } from '@cortex-os/patchkit-native';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSpool } from '../src/spool.js';

const A = 'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\niota\nkappa\n';
const B = 'export const one = 1;\nexport const two = 2;\n';
const B2 = 'export const one = 1;\nexport const two = 2;\nexport const three = 3;\n';
const GONE = 'to be removed\n';

let root: string;
let spool: FileSpool;

const file = (name: string): string => path.join(root, name);
const disk = (name: string): string | null => {
  try {
    return readFileSync(file(name), 'utf8');
  } catch {
    return null;
  }
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'example-spool-'));
  mkdirSync(file('src'));
  writeFileSync(file('a.txt'), A);
  writeFileSync(file('src/b.ts'), B);
  writeFileSync(file('gone.txt'), GONE);
  spool = new FileSpool(root);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Stages one edit of each kind; returns the FilePatches createDiff gives for them, sorted by path. */
async function stageSession(): Promise<FilePatch[]> {
  const expected = [
    createDiff('a.txt', A, A.replace('beta', 'BETA')),
    createDiff('gone.txt', GONE, null),
    createDiff('new/c.md', null, '# C\n'),
    createDiff('src/b.ts', B, B2),
  ];
  expect(await spool.write('new/c.md', '# C\n')).toEqual(expected[2]);
  expect(await spool.replace('a.txt', 'beta', 'BETA')).toEqual(expected[0]);
  expect(await spool.patch('src/b.ts', expected[3]!.diff)).toEqual(expected[3]);
  expect(await spool.delete('gone.txt')).toEqual(expected[1]);
  return expected;
}

describe('a session', () => {
  it('stages write, replace, patch and delete in memory and describes them as createDiff does', async () => {
    const expected = await stageSession();
    expect(await spool.read('a.txt')).toBe(A.replace('beta', 'BETA'));
    expect(await spool.read('gone.txt')).toBeNull();
    expect(await spool.read('new/c.md')).toBe('# C\n');
    expect(disk('a.txt')).toBe(A);
    expect(disk('gone.txt')).toBe(GONE);
    expect(disk('new/c.md')).toBeNull();
    expect(await spool.diff()).toEqual(expected);
    expect(await spool.validate()).toEqual({ ok: true, conflicts: [] });
  });

  it('commits: writes changed files, removes deleted ones, returns the FilePatches and starts afresh', async () => {
    const expected = await stageSession();
    expect(await spool.commit()).toEqual(expected);
    expect(disk('a.txt')).toBe(A.replace('beta', 'BETA'));
    expect(disk('src/b.ts')).toBe(B2);
    expect(disk('new/c.md')).toBe('# C\n');
    expect(disk('gone.txt')).toBeNull();
    expect(await spool.diff()).toEqual([]);
    expect(await spool.commit()).toEqual([]);
    expect(spool.cacheStats()).toMatchObject({ entries: 0, hits: 0, misses: 0 });
  });

  it('reset drops every staged change and leaves the disk alone', async () => {
    await stageSession();
    spool.reset();
    expect(await spool.diff()).toEqual([]);
    expect(await spool.read('a.txt')).toBe(A);
    expect(await spool.read('gone.txt')).toBe(GONE);
    expect(disk('new/c.md')).toBeNull();
    expect(spool.cacheStats().entries).toBe(0);
  });

  it('keeps the first snapshot: later edits diff against the content first seen', async () => {
    await spool.write('a.txt', 'one\n');
    expect(await spool.replace('a.txt', /o(ne)/, 'tw$1')).toEqual(createDiff('a.txt', A, 'twne\n'));
    expect(await spool.write('a.txt', A)).toEqual(createDiff('a.txt', A, A));
    expect(await spool.diff()).toEqual([]);
  });

  it('replaces strings literally, regular expressions as given, all matches with `all`', async () => {
    await spool.write('r.txt', 'a.c abc a.c\n');
    await spool.replace('r.txt', 'a.c', 'X');
    expect(await spool.read('r.txt')).toBe('X abc a.c\n');
    await spool.replace('r.txt', /a.c/g, 'Y');
    expect(await spool.read('r.txt')).toBe('X Y a.c\n');
    await spool.replace('r.txt', /[A-Z]/, 'z', true);
    expect(await spool.read('r.txt')).toBe('z z a.c\n');
    await expect(spool.replace('missing.txt', 'a', 'b')).rejects.toThrow('Cannot replace in missing.txt: no such file');
  });
});

describe('the session cache', () => {
  it('serves diff, validate and commit from the diffs the edits computed', async () => {
    await spool.write('one.txt', '1\n');
    await spool.write('two.txt', '2\n');
    await spool.replace('a.txt', 'alpha', 'ALPHA');
    expect(spool.cacheStats()).toMatchObject({ entries: 3, hits: 0, misses: 3 });

    await spool.diff();
    expect(spool.cacheStats()).toMatchObject({ entries: 3, hits: 3, misses: 3 });
    await spool.validate();
    expect(spool.cacheStats()).toMatchObject({ entries: 3, hits: 6, misses: 3 });

    const before = getMetrics();
    await spool.commit();
    const after = getMetrics();
    expect(after.cacheHits - before.cacheHits).toBe(3);
    expect(after.diffsComputed - before.diffsComputed).toBe(0);
    expect(after.calls.createDiffs - before.calls.createDiffs).toBe(1);
  });

  it('computes a pair again only when it changed', async () => {
    await spool.write('one.txt', '1\n');
    await spool.write('one.txt', '1\n2\n');
    await spool.diff();
    expect(spool.cacheStats()).toMatchObject({ hits: 1, misses: 2 });
  });
});

describe('commit writes atomically', () => {
  it('replaces files by rename (a hard link keeps the old content) and leaves no temp files', async () => {
    linkSync(file('a.txt'), file('a.old'));
    await spool.write('a.txt', 'new\n');
    await spool.write('deep/er/d.txt', 'd\n');
    await spool.commit();
    expect(disk('a.txt')).toBe('new\n');
    expect(disk('a.old')).toBe(A);
    expect(disk('deep/er/d.txt')).toBe('d\n');
    expect(readdirSync(root).sort()).toEqual(['a.old', 'a.txt', 'deep', 'gone.txt', 'src']);
    expect(readdirSync(file('deep/er'))).toEqual(['d.txt']);
  });

  it('keeps the mode of a file it replaces', async () => {
    chmodSync(file('src/b.ts'), 0o751);
    await spool.write('src/b.ts', B2);
    await spool.commit();
    expect(statSync(file('src/b.ts')).mode & 0o777).toBe(0o751);
  });
});

describe('conflicts', () => {
  it('throws "Conflicting patch for <path>" with the native error as cause, and stages nothing', async () => {
    const stale = createDiff('a.txt', 'something else\n', 'other\n').diff;
    const error = await spool.patch('a.txt', stale).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Conflicting patch for a.txt');
    expect((error as Error).cause).toMatchObject({ code: 'PATCH_CONFLICT', path: 'a.txt' });
    expect(await spool.read('a.txt')).toBe(A);
    expect(await spool.diff()).toEqual([]);
  });

  it('lets other errors through (a text that is not a diff)', async () => {
    await expect(spool.patch('a.txt', '@@ nonsense @@\n')).rejects.toMatchObject({ code: 'PATCH_PARSE' });
  });

  it('merges an edit made on disk meanwhile when the staged patch still fits', async () => {
    await spool.replace('a.txt', 'beta', 'BETA');
    writeFileSync(file('a.txt'), A.replace('kappa', 'KAPPA'));
    expect(await spool.validate()).toEqual({ ok: true, conflicts: [] });
    await spool.commit();
    expect(disk('a.txt')).toBe(A.replace('beta', 'BETA').replace('kappa', 'KAPPA'));
  });

  it('reports files edited, created or removed on disk meanwhile, and commit writes nothing', async () => {
    await spool.replace('a.txt', 'beta', 'BETA');
    await spool.write('src/b.ts', B2);
    await spool.write('fresh.txt', 'mine\n');
    await spool.write('gone.txt', 'kept\n');
    writeFileSync(file('a.txt'), A.replace('beta', 'Beta!'));
    writeFileSync(file('fresh.txt'), 'theirs\n');
    rmSync(file('gone.txt'));

    const { ok, conflicts } = await spool.validate();
    expect(ok).toBe(false);
    expect(conflicts.map((c) => c.path)).toEqual(['a.txt', 'fresh.txt', 'gone.txt']);
    expect(conflicts[0]!.reason).toBe('Failed to apply patch for a.txt');
    await expect(spool.commit()).rejects.toThrow(/^Cannot commit, files changed on disk: a\.txt: /);
    expect(disk('src/b.ts')).toBe(B);
    expect(await spool.read('src/b.ts')).toBe(B2);
  });
});

describe('paths', () => {
  it('refuses absolute paths and escapes from the root, whatever the operation', async () => {
    for (const bad of ['/etc/passwd', '../outside.txt', 'src/../../outside.txt', '..', '.', '']) {
      await expect(spool.write(bad, 'x')).rejects.toThrow(/must be relative to the spool root|escapes the spool root/);
      await expect(spool.read(bad)).rejects.toThrow(/must be relative to the spool root|escapes the spool root/);
      await expect(spool.delete(bad)).rejects.toThrow(/must be relative to the spool root|escapes the spool root/);
    }
    expect(await spool.diff()).toEqual([]);
  });

  it('names files by their normalized relative path', async () => {
    const patch = await spool.write('./src/../src//b.ts', B2);
    expect(patch).toEqual(createDiff('src/b.ts', B, B2));
    expect(await spool.read('src/b.ts')).toBe(B2);
  });
});
