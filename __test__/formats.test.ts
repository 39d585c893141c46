/**
 * createDiff's `format: 'git'` and `algorithm: 'myers'`, checked with the
 * real tools: git apply and GNU patch must accept our git-format output and
 * produce the new text; GNU patch must apply the default format too.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { native } from './helpers/native.js';

const n = native as any;

function pairs(): Array<[string | null, string | null]> {
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const alphabet = ['a\n', 'b\n', 'c\n', '}\n', '\n', 'x\r\n', 'tail'];
  const text = (max: number) => {
    let s = '';
    const count = next() % max;
    for (let i = 0; i < count; i++) {
      const l = alphabet[next() % alphabet.length];
      s += l === 'tail' && i < count - 1 ? 'tail\n' : l;
    }
    return s;
  };
  const out: Array<[string | null, string | null]> = [
    [null, 'new\nfile\n'],
    [null, 'no newline'],
    ['gone\n', null],
    ['a\nb', 'a\nb\nc\n'],
    ['a\nb\n', 'a\nB'],
    ['x', 'y'],
    ['line\r\nline2\r\n', 'line\r\nLINE2\r\n'],
  ];
  for (let i = 0; i < 40; i++) out.push([text(30), text(30)]);
  return out;
}

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8' });
}

function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-formats-'));
  run('git', ['init', '-q'], dir);
  run('git', ['config', 'core.autocrlf', 'false'], dir);
  return dir;
}

describe("format: 'git'", () => {
  it('git apply and GNU patch -p1 accept it and produce the new text', () => {
    let checked = 0;
    for (const [before, after] of pairs()) {
      const patch = n.createDiff('sub/f.txt', before, after, { format: 'git' });
      if (patch.diff === '') {
        expect(before ?? '').toBe(after ?? '');
        continue;
      }
      for (const tool of ['git', 'patch'] as const) {
        const dir = repo();
        fs.mkdirSync(path.join(dir, 'sub'));
        if (before !== null) fs.writeFileSync(path.join(dir, 'sub/f.txt'), before);
        fs.writeFileSync(path.join(dir, 'change.diff'), patch.diff);
        const args = tool === 'git' ? ['apply', 'change.diff'] : ['-p1', '-s', '--no-backup-if-mismatch', '-i', 'change.diff'];
        const result = run(tool, args, dir);
        expect(result.status, `${tool}: ${result.stderr}${result.stdout}\n${patch.diff}`).toBe(0);
        const file = path.join(dir, 'sub/f.txt');
        if (after === null) expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null).toBe(null);
        else expect(fs.readFileSync(file, 'utf8'), `${tool}\n${patch.diff}`).toBe(after);
        fs.rmSync(dir, { recursive: true, force: true });
        checked++;
      }
      // Our own applier reads it too.
      if (before !== null && after !== null) expect(n.applyPatch(before, patch)).toBe(after);
    }
    console.log(`[formats] ${checked} git-format diffs applied by git apply and GNU patch`);
    expect(checked).toBeGreaterThan(60);
  });

  it('writes git headers: modes and /dev/null for created and deleted files, nothing when unchanged', () => {
    expect(n.createDiff('p', null, 'x\n', { format: 'git' }).diff).toBe(
      'diff --git a/p b/p\nnew file mode 100644\n--- /dev/null\n+++ b/p\n@@ -0,0 +1,1 @@\n+x\n',
    );
    expect(n.createDiff('p', 'x\n', null, { format: 'git' }).diff).toBe(
      'diff --git a/p b/p\ndeleted file mode 100644\n--- a/p\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n',
    );
    expect(n.createDiff('p', 'same\n', 'same\n', { format: 'git' }).diff).toBe('');
    // The summary and hunks follow the same text.
    const p = n.createDiff('p', 'a\nb', 'a\nb\nc\n', { format: 'git' });
    expect(p.hunks[0].lines).toEqual([' a', '-b', '\\ No newline at end of file', '+b', '+c']);
    expect(p.summary).toMatchObject({ additions: 2, deletions: 1 });
  });
});

describe('the default format and GNU patch', () => {
  it('GNU patch applies jsdiff-format diffs', () => {
    let checked = 0;
    for (const [before, after] of pairs()) {
      if (before === null || after === null || before === '' || !before.endsWith('\n') || !after.endsWith('\n')) continue;
      const patch = n.createDiff('f.txt', before, after);
      if (patch.hunks.length === 0) continue;
      const dir = repo();
      fs.writeFileSync(path.join(dir, 'f.txt'), before);
      fs.writeFileSync(path.join(dir, 'change.diff'), patch.diff);
      const result = run('patch', ['-p0', '-s', '--no-backup-if-mismatch', '-i', 'change.diff'], dir);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe(after);
      fs.rmSync(dir, { recursive: true, force: true });
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});

describe("algorithm: 'myers'", () => {
  it('applies back exactly and changes no more lines than the default', () => {
    for (const [before, after] of pairs()) {
      const mine = n.createDiff('f', before, after, { algorithm: 'myers' });
      const jsdiff = n.createDiff('f', before, after);
      expect(n.applyPatch(before, mine)).toBe(after ?? '');
      const size = (p: any) => p.summary.additions + p.summary.deletions;
      expect(size(mine)).toBeLessThanOrEqual(size(jsdiff));
    }
  });

  it('refuses formats and algorithms it does not have', () => {
    expect(() => n.createDiff('f', 'a', 'b', { format: 'svn' })).toThrow(/format/);
    expect(() => n.createDiff('f', 'a', 'b', { algorithm: 'histogram' })).toThrow(/not available yet/);
  });
});
