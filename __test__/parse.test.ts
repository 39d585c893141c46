/**
 * parsePatch and parsePatchAsync.
 *
 * - Parity: on patches written by jsdiff 5.2 (the reference module), every
 *   field jsdiff's own parsePatch returns is the same, except the documented
 *   `\r` of CRLF lines (COMPAT.md, "parsePatch keeps a line's `\r`").
 * - The formats the issue lists: git extended headers, hunk headers without
 *   counts, CRLF patch files, prose around the diff, `a/`/`b/` prefixes.
 *   (`git diff` and `diff -ruN` output from the real tools is parsed in
 *   apply.realtools.test.ts.)
 * - Malformed text: PATCH_PARSE with the line number and what was expected.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import * as jsdiff from 'diff';
import * as reference from './reference.js';
import { caseArb } from './helpers/generators.js';
import { hasJsdiffOnlyBreaks } from './helpers/parity.js';

type Patchkit = typeof import('../index.js');
type ParsedPatch = import('../index.js').ParsedPatch;
const pk: Patchkit = createRequire(import.meta.url)('../index.js');

/** The fields of jsdiff's parsePatch result, from one of ours. */
function jsdiffView(files: ParsedPatch[]): unknown[] {
  return files.map((f) => {
    const out: Record<string, unknown> = {};
    for (const key of ['index', 'oldFileName', 'oldHeader', 'newFileName', 'newHeader'] as const) {
      if (f[key] !== undefined) out[key] = f[key];
    }
    out.hunks = f.hunks.map(({ oldStart, oldLines, newStart, newLines, lines, linedelimiters }) => ({
      oldStart,
      oldLines,
      newStart,
      newLines,
      lines,
      linedelimiters,
    }));
    return out;
  });
}

/**
 * jsdiff's parsePatch result with the one documented difference made: a
 * line that ended in `\r\n` keeps its `\r` and its delimiter is `\n`.
 */
function jsdiffExpected(text: string): unknown {
  return plain(
    jsdiff.parsePatch(text).map((f) => ({
      ...f,
      hunks: f.hunks.map((h) => {
        const { lines, linedelimiters } = h as unknown as { lines: string[]; linedelimiters: string[] };
        return {
          ...h,
          lines: lines.map((l, i) => (linedelimiters[i] === '\r\n' ? `${l}\r` : l)),
          linedelimiters: linedelimiters.map((d) => (d === '\r\n' ? '\n' : d)),
        };
      }),
    })),
  );
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('parsePatch: the same files and hunks as jsdiff 5.2 parsePatch', () => {
  it('on 3,000 patches jsdiff wrote (generated texts and edits)', () => {
    let hunks = 0;
    fc.assert(
      fc.property(caseArb({ pools: ['tiny', 'code', 'unicode'], maxLines: 60, proposal: 'mixed' }), ({ diffCase }) => {
        const { path, baseline, proposed } = diffCase;
        fc.pre(!hasJsdiffOnlyBreaks(baseline, proposed));
        const text = reference.createDiff(path, baseline, proposed).diff;
        const ours = pk.parsePatch(text);
        expect(plain(jsdiffView(ours))).toEqual(jsdiffExpected(text));
        hunks += ours[0].hunks.length;
      }),
      { numRuns: 3000, seed: 20261202 },
    );
    expect(hunks).toBeGreaterThan(3000);
  });

  it('CRLF lines: jsdiff moves the `\\r` into linedelimiters, patchkit keeps it in the line (COMPAT.md)', () => {
    const before = 'one\r\ntwo\r\nthree\r\n';
    const after = 'one\r\n2\r\nthree\r\n';
    const text = reference.createDiff('crlf.txt', before, after).diff;
    const [ours] = pk.parsePatch(text);
    expect(ours.hunks[0].lines).toEqual([' one\r', '-two\r', '+2\r', ' three\r']);
    expect(ours.hunks[0].linedelimiters).toEqual(['\n', '\n', '\n', '\n']);
    const [theirs] = jsdiff.parsePatch(text) as unknown as Array<{ hunks: Array<{ lines: string[]; linedelimiters: string[] }> }>;
    expect(theirs.hunks[0].lines).toEqual([' one', '-two', '+2', ' three']);
    expect(theirs.hunks[0].linedelimiters).toEqual(['\r\n', '\r\n', '\r\n', '\r\n']);
    // and the lines are exactly what the file holds, so they apply
    expect(pk.applyPatch(before, text)).toBe(after);
  });

  it('patchkit reads a hunk by its counts; jsdiff takes a `--- `/`+++ ` pair before an `@@` for a new file (COMPAT P3)', () => {
    // With no context, a removed `-- a` and an added `++ b` end the first
    // hunk, and the next line is the second hunk's header.
    const before = ['-- a', ...Array.from({ length: 9 }, (_, i) => `k${i}`), 'z', ''].join('\n');
    const after = ['++ b', ...Array.from({ length: 9 }, (_, i) => `k${i}`), 'Z', ''].join('\n');
    const text = reference.createDiff('x.txt', before, after, { contextLines: 0 }).diff;
    expect(text).toContain('\n--- a\n+++ b\n@@ -11');
    const theirs = jsdiff.parsePatch(text);
    expect(theirs).toHaveLength(2);
    expect(theirs[0].hunks[0].lines).toEqual([]);
    const ours = pk.parsePatch(text);
    expect(ours).toHaveLength(1);
    expect(ours[0].hunks.map((h) => h.lines)).toEqual([
      ['--- a', '+++ b'],
      ['-z', '+Z'],
    ]);
    expect(pk.applyPatch(before, text)).toBe(after);
  });

  it('an empty line inside a hunk (a context line that lost its space) stays `\'\'`, as in jsdiff', () => {
    const text = '--- a\n+++ a\n@@ -1,3 +1,3 @@\n a\n\n-b\n+B\n';
    const [f] = pk.parsePatch(text);
    expect(f.hunks[0].lines).toEqual([' a', '', '-b', '+B']);
    expect(plain(jsdiffView([f]))).toEqual(jsdiffExpected(text));
    expect(pk.applyPatch('a\n\nb\n', text)).toBe('a\n\nB\n');
  });

  it('a git part without ---/+++ headers ends at the next Index: or diff --git line (COMPAT P5)', () => {
    const text = 'diff --git a/e.txt b/e.txt\nnew file mode 100644\nIndex: f.txt\n===\n--- f.txt\n+++ f.txt\n@@ -1 +1 @@\n-a\n+b\n';
    expect(pk.parsePatch(text).map((f) => [f.oldPath, f.newPath, f.status, f.hunks.length])).toEqual([
      [null, 'e.txt', 'created', 0],
      ['f.txt', 'f.txt', 'modified', 1],
    ]);
    expect(jsdiff.parsePatch(text)).toHaveLength(1);
    expect(pk.applyPatches({ 'f.txt': 'a\n' }, text).files).toEqual({ 'e.txt': '', 'f.txt': 'b\n' });
  });
});

describe('parsePatch: formats', () => {
  it('git extended headers: rename, modes, similarity, index; paths without a/ b/', () => {
    const text = [
      'diff --git a/src/old name.ts b/src/new name.ts',
      'old mode 100644',
      'new mode 100755',
      'similarity index 92%',
      'rename from src/old name.ts',
      'rename to src/new name.ts',
      'index 1111111..2222222',
      '--- a/src/old name.ts',
      '+++ b/src/new name.ts',
      '@@ -1,2 +1,2 @@',
      ' keep',
      '-old',
      '+new',
      '',
    ].join('\n');
    const [f] = pk.parsePatch(text);
    expect(f).toMatchObject({
      oldFileName: 'a/src/old name.ts',
      newFileName: 'b/src/new name.ts',
      oldPath: 'src/old name.ts',
      newPath: 'src/new name.ts',
      status: 'renamed',
      binary: false,
      startLine: 1,
      git: {
        oldName: 'a/src/old name.ts',
        newName: 'b/src/new name.ts',
        oldMode: '100644',
        newMode: '100755',
        similarity: 92,
        renameFrom: 'src/old name.ts',
        renameTo: 'src/new name.ts',
        index: '1111111..2222222',
      },
    });
    expect(f.hunks).toEqual([
      { oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' keep', '-old', '+new'], linedelimiters: ['\n', '\n', '\n'], headerLine: 10 },
    ]);
  });

  it('created, deleted, pure rename, binary and copied files in one git patch', () => {
    const text = [
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      'index 0000000..1111111',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100755',
      'index 1111111..0000000',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/a.txt b/b.txt',
      'similarity index 100%',
      'rename from a.txt',
      'rename to b.txt',
      'diff --git a/img.png b/img.png',
      'index 1111111..2222222 100644',
      'GIT binary patch',
      'literal 3',
      'Kc${NkU|;|M00aO5',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/c.txt b/d.txt',
      'similarity index 100%',
      'copy from c.txt',
      'copy to d.txt',
      'diff --git a/logo.bin b/logo.bin',
      'index 3333333..4444444 100644',
      'Binary files a/logo.bin and b/logo.bin differ',
      '',
    ].join('\n');
    const files = pk.parsePatch(text);
    expect(files.map((f) => [f.oldPath, f.newPath, f.status, f.binary])).toEqual([
      [null, 'new.txt', 'created', false],
      ['gone.txt', null, 'deleted', false],
      ['a.txt', 'b.txt', 'renamed', false],
      ['img.png', 'img.png', 'modified', true],
      ['c.txt', 'd.txt', 'copied', false],
      ['logo.bin', 'logo.bin', 'modified', true],
    ]);
    expect(files.map((f) => f.startLine)).toEqual([1, 8, 15, 19, 28, 32]);
    expect(files[0].git?.newFileMode).toBe('100644');
    expect(files[1].git?.deletedFileMode).toBe('100755');
    expect(files[0].hunks[0]).toMatchObject({ oldStart: 1, oldLines: 0, newStart: 1, newLines: 1 });
    expect(files[3].hunks).toEqual([]);
  });

  it('hunk headers without counts, prose before and after, a CRLF patch file', () => {
    const text = 'Some mail text.\r\n\r\n--- a/x\r\n+++ b/x\r\n@@ -3 +3 @@\r\n-c\r\n+C\r\n\r\n-- \r\nsignature\r\n';
    const [f] = pk.parsePatch(text);
    expect(f).toMatchObject({ oldFileName: 'a/x', newFileName: 'b/x', oldPath: 'x', newPath: 'x', status: 'modified' });
    expect(f.hunks).toEqual([
      { oldStart: 3, oldLines: 1, newStart: 3, newLines: 1, lines: ['-c\r', '+C\r'], linedelimiters: ['\n', '\n'], headerLine: 5 },
    ]);
    expect(pk.applyPatch('a\r\nb\r\nc\r\nd\r\n', text)).toBe('a\r\nb\r\nC\r\nd\r\n');
  });

  it('no newline at end of file, Index: banners, several files, tab-separated dates', () => {
    const text = [
      'Index: one.txt',
      '===================================================================',
      '--- one.txt\t2024-01-01 10:00:00.000000000 +0000',
      '+++ one.txt\t2024-01-02 10:00:00.000000000 +0000',
      '@@ -1 +1 @@',
      '-a',
      '\\ No newline at end of file',
      '+b',
      'Index: two.txt',
      '===================================================================',
      '--- two.txt',
      '+++ two.txt',
      '@@ -1,0 +2 @@',
      '+added',
      '',
    ].join('\n');
    const files = pk.parsePatch(text);
    expect(plain(jsdiffView(files))).toEqual(jsdiffExpected(text));
    expect(files.map((f) => [f.index, f.oldPath, f.oldHeader])).toEqual([
      ['one.txt', 'one.txt', '2024-01-01 10:00:00.000000000 +0000'],
      ['two.txt', 'two.txt', ''],
    ]);
    expect(files[0].hunks[0].lines).toEqual(['-a', '\\ No newline at end of file', '+b']);
  });

  it('strip: as patch -p; the default strips a/ b/ only', () => {
    const text = '--- old/src/x.ts\n+++ new/src/x.ts\n@@ -1 +1 @@\n-a\n+b\n';
    expect(pk.parsePatch(text)[0]).toMatchObject({ oldPath: 'old/src/x.ts', newPath: 'new/src/x.ts' });
    expect(pk.parsePatch(text, { strip: 1 })[0]).toMatchObject({ oldPath: 'src/x.ts', newPath: 'src/x.ts' });
    expect(pk.parsePatch(text, { strip: 2 })[0]).toMatchObject({ oldPath: 'x.ts', newPath: 'x.ts' });
  });

  it('a Buffer holding the patch, and the async form, give the same result', async () => {
    const text = reference.createDiff('a.txt', 'x\ny\n', 'x\nz\n').diff;
    const sync = pk.parsePatch(text);
    expect(pk.parsePatch(Buffer.from(text))).toEqual(sync);
    expect(await pk.parsePatchAsync(text)).toEqual(sync);
    expect(await pk.parsePatchAsync(new Uint8Array(Buffer.from(text)), { strip: 0 })).toEqual(sync);
  });

  it("our own createDiff output in both formats parses back to the FilePatch's hunks", () => {
    const before = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = before.replace('line 10\n', 'ten\n').replace('line 40\n', '');
    for (const format of ['jsdiff', 'git'] as const) {
      const patch = pk.createDiff('dir/f.txt', before, after, { format });
      const [f] = pk.parsePatch(patch.diff);
      expect(f.hunks.map(({ oldStart, oldLines, newStart, newLines, lines }) => ({ oldStart, oldLines, newStart, newLines, lines }))).toEqual(
        plain(patch.hunks),
      );
      expect([f.oldPath, f.newPath]).toEqual(['dir/f.txt', 'dir/f.txt']);
    }
  });
});

describe('parsePatch: malformed input', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['no diff at all', 'hello\nworld\n', 1, /no unified diff found/],
    ['a hunk longer than its header says', '--- a\n+++ a\n@@ -1 +1 @@\n-a\n+b\n+c\n', 6, /more lines than its header says/],
    ['a hunk cut short', '--- a\n+++ a\n@@ -1,3 +1,3 @@\n a\n-b\n', 6, /ends early/],
    ['a malformed hunk header', '--- a\n+++ a\n@@ -x +1 @@\n', 3, /malformed hunk header/],
    ['hunks out of order', '--- a\n+++ a\n@@ -5 +5 @@\n-e\n+E\n@@ -1 +1 @@\n-a\n+A\n', 6, /out of order or overlapping/],
  ];
  for (const [name, text, line, message] of cases) {
    it(`${name}: PATCH_PARSE at line ${line}`, async () => {
      let error: (Error & { code?: string; line?: number }) | undefined;
      try {
        pk.parsePatch(text);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.code).toBe('PATCH_PARSE');
      expect(error?.message).toMatch(message);
      expect(error?.message).toContain(`line ${line}`);
      await expect(pk.parsePatchAsync(text)).rejects.toMatchObject({ code: 'PATCH_PARSE' });
    });
  }

  it('bad arguments: INVALID_ARGUMENT, thrown before any promise', () => {
    for (const bad of [undefined, null, 42, {}, ['x']]) {
      expect(() => pk.parsePatch(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => pk.parsePatchAsync(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    for (const strip of [-1, 1.5, Number.NaN, '1']) {
      expect(() => pk.parsePatch('@@ -1 +1 @@\n-a\n+b\n', { strip } as never)).toThrow(/options\.strip/);
    }
  });
});
