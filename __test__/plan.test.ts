/**
 * applyPlan: grouped, atomic, confined, idempotent plan application.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { native } from './helpers/native.js';

const n = native as any;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-plan-'));
const read = (root: string, p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const put = (root: string, p: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  fs.writeFileSync(path.join(root, p), text);
};
const codes = (results: any[]) => results.map((r) => r.error?.code ?? null);

describe('applyPlan', () => {
  it('applies write, replace, patch and delete, in order per file, with a FilePatch per operation', async () => {
    const root = tmp();
    put(root, 'src/a.ts', 'const a = 1;\nconst b = 2;\n');
    put(root, 'old.txt', 'bye\n');
    const patch = n.createDiff('src/a.ts', 'const a = 10;\nconst b = 2;\n', 'const a = 10;\nconst b = 20;\n').diff;
    const results = await n.applyPlan(root, {
      description: 'demo',
      operations: [
        { kind: 'replace', path: 'src/a.ts', match: 'a = 1', replacement: 'a = 10' },
        { kind: 'write', path: 'src/new/c.ts', content: 'export {};\n' },
        { kind: 'patch', path: 'src/a.ts', diff: patch },
        { kind: 'delete', path: 'old.txt' },
        { kind: 'replace', path: 'src/a.ts', match: /const (\w)/g, replacement: 'let $1' },
      ],
    });
    expect(codes(results)).toEqual([null, null, null, null, null]);
    expect(results.map((r: any) => r.applied)).toEqual([true, true, true, true, true]);
    expect(read(root, 'src/a.ts')).toBe('let a = 10;\nlet b = 20;\n');
    expect(read(root, 'src/new/c.ts')).toBe('export {};\n');
    expect(fs.existsSync(path.join(root, 'old.txt'))).toBe(false);
    // Each FilePatch is the file before and after that operation.
    expect(results[0].patch).toEqual(n.createDiff('src/a.ts', 'const a = 1;\nconst b = 2;\n', 'const a = 10;\nconst b = 2;\n'));
    expect(results[3].patch.changeType).toBe('deleted');
    expect(results[1].patch.changeType).toBe('created');
    // No temporary files are left behind.
    expect(fs.readdirSync(path.join(root, 'src')).filter((f) => f.includes('patchkit'))).toEqual([]);
  });

  it('is all or nothing: one failed operation changes no file, and every result says why', async () => {
    const root = tmp();
    put(root, 'a.txt', 'one\n');
    put(root, 'b.txt', 'two\n');
    const results = await n.applyPlan(root, {
      operations: [
        { kind: 'write', path: 'a.txt', content: 'ONE\n' },
        { kind: 'patch', path: 'b.txt', diff: '@@ -1 +1 @@\n-zwei\n+2\n' },
        { kind: 'write', path: 'c.txt', content: 'three\n' },
      ],
    });
    expect(codes(results)).toEqual(['NOT_APPLIED', 'PATCH_CONFLICT', 'NOT_APPLIED']);
    expect(results[1].conflicted).toBe(true);
    expect(results[0].error.message).toMatch(/operation 1 failed/);
    expect(read(root, 'a.txt')).toBe('one\n');
    expect(read(root, 'b.txt')).toBe('two\n');
    expect(fs.existsSync(path.join(root, 'c.txt'))).toBe(false);
  });

  it('with atomic: false applies what it can', async () => {
    const root = tmp();
    put(root, 'b.txt', 'two\n');
    const results = await n.applyPlan(
      root,
      {
        operations: [
          { kind: 'write', path: 'a.txt', content: 'ONE\n' },
          { kind: 'patch', path: 'b.txt', diff: '@@ -1 +1 @@\n-zwei\n+2\n' },
        ],
      },
      { atomic: false },
    );
    expect(codes(results)).toEqual([null, 'PATCH_CONFLICT']);
    expect(read(root, 'a.txt')).toBe('ONE\n');
    expect(read(root, 'b.txt')).toBe('two\n');
  });

  it('checks expectSha preconditions (STALE_BASE)', async () => {
    const root = tmp();
    put(root, 'a.txt', 'v1\n');
    const ok = await n.applyPlan(root, { operations: [{ kind: 'write', path: 'a.txt', content: 'v2\n', expectSha: sha('v1\n') }] });
    expect(ok[0].applied).toBe(true);
    const stale = await n.applyPlan(root, { operations: [{ kind: 'write', path: 'a.txt', content: 'v3\n', expectSha: sha('v1\n') }] });
    expect(stale[0].error.code).toBe('STALE_BASE');
    expect(read(root, 'a.txt')).toBe('v2\n');
  });

  it('is idempotent: an applied patch reports alreadyApplied, an identical write writes nothing', async () => {
    const root = tmp();
    put(root, 'a.txt', 'x\ny\n');
    const diff = n.createDiff('a.txt', 'x\ny\n', 'x\nY\n').diff;
    const first = await n.applyPlan(root, { operations: [{ kind: 'patch', path: 'a.txt', diff }] });
    expect(first[0]).toMatchObject({ applied: true });
    const inode = fs.statSync(path.join(root, 'a.txt')).ino;
    const again = await n.applyPlan(root, {
      operations: [
        { kind: 'patch', path: 'a.txt', diff },
        { kind: 'write', path: 'a.txt', content: 'x\nY\n' },
      ],
    });
    expect(again[0]).toMatchObject({ applied: false, alreadyApplied: true });
    expect(again[1]).toMatchObject({ applied: false });
    expect(again[0].error).toBeUndefined();
    expect(fs.statSync(path.join(root, 'a.txt')).ino).toBe(inode); // not rewritten
  });

  it('keeps or sets file modes', async () => {
    const root = tmp();
    put(root, 'run.sh', 'echo 1\n');
    fs.chmodSync(path.join(root, 'run.sh'), 0o755);
    await n.applyPlan(root, {
      operations: [
        { kind: 'write', path: 'run.sh', content: 'echo 2\n' },
        { kind: 'write', path: 'secret.txt', content: 's\n', mode: 0o600 },
      ],
    });
    expect(fs.statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(root, 'secret.txt')).mode & 0o777).toBe(0o600);
  });

  it('replace: literal strings, RegExps, regex: true, and patterns the regex crate cannot compile', async () => {
    const root = tmp();
    put(root, 'a.txt', 'a.b a.b axb\n');
    const results = await n.applyPlan(
      root,
      {
        operations: [
          { kind: 'replace', path: 'a.txt', match: 'a.b', replacement: '[$&]', all: true },
          { kind: 'replace', path: 'a.txt', match: 'a(x)b', replacement: '<$1>', regex: true },
        ],
      },
      {},
    );
    expect(codes(results)).toEqual([null, null]);
    expect(read(root, 'a.txt')).toBe('[a.b] [a.b] <x>\n');
    const bad = await n.applyPlan(root, { operations: [{ kind: 'replace', path: 'a.txt', match: /(?<=a)b/, replacement: '' }] });
    expect(bad[0].error.code).toBe('UNSUPPORTED_PATTERN');
    const missing = await n.applyPlan(root, { operations: [{ kind: 'replace', path: 'a.txt', match: 'nope', replacement: '' }] });
    expect(missing[0]).toMatchObject({ conflicted: true });
    expect(missing[0].error.code).toBe('PATCH_CONFLICT');
  });

  it('refuses every path that leaves the root, before touching anything', async () => {
    const root = tmp();
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, 'link-out'));
    fs.symlinkSync(path.join(outside, 'f.txt'), path.join(root, 'file-out'));
    fs.mkdirSync(path.join(root, 'inside'));
    fs.symlinkSync(path.join(root, 'inside'), path.join(root, 'link-in'));
    const escapes = ['/etc/passwd', '../x', 'a/../../x', './../x', 'link-out/x', 'file-out', 'link-out', '', 'a\0b'];
    for (const bad of escapes) {
      await expect(
        n.applyPlan(root, { operations: [{ kind: 'write', path: 'ok.txt', content: 'x' }, { kind: 'write', path: bad, content: 'x' }] }),
      ).rejects.toMatchObject({ code: 'PATH_ESCAPE' });
    }
    expect(fs.existsSync(path.join(root, 'ok.txt'))).toBe(false);
    expect(fs.readdirSync(outside)).toEqual([]);
    const inside = await n.applyPlan(root, { operations: [{ kind: 'write', path: 'link-in/y.txt', content: 'y' }, { kind: 'write', path: 'a/../b.txt', content: 'b' }] });
    expect(codes(inside)).toEqual([null, null]);
    expect(read(root, 'inside/y.txt')).toBe('y');
    expect(read(root, 'b.txt')).toBe('b');
  });

  it('refuses malformed plans with INVALID_ARGUMENT', () => {
    const root = tmp();
    expect(() => n.applyPlan(root, {})).toThrow(/operations/);
    expect(() => n.applyPlan(root, { operations: [{ kind: 'move', path: 'a' }] })).toThrow(/kind/);
    expect(() => n.applyPlan(root, { operations: [{ kind: 'write', path: 'a' }] })).toThrow(/content/);
    expect(() => n.applyPlan(root, { operations: [{ kind: 'replace', path: 'a', match: 5, replacement: '' }] })).toThrow(/match/);
  });

  it('leaves each file wholly old or wholly new when the process is killed mid-plan', async () => {
    const files = 300;
    // 300 files of about 200 KB in 20 long lines: writing them is disk
    // work (about a second here), not diff work.
    const text = (word: string, i: number) => (`${word} ${i} `.repeat(2000) + '\n').repeat(20);
    const old = (i: number) => text('old', i);
    const fresh = (i: number) => text('new', i);
    // Kill at several moments: while files are staged, and while they are
    // renamed into place.
    for (const delayMs of [50, 300, 600, 900, 1200]) {
      const root = tmp();
      for (let i = 0; i < files; i++) put(root, `f${i}.txt`, old(i));
      const script = `
        const n = require(${JSON.stringify(path.resolve('index.js'))});
        const ops = [];
        const text = (word, i) => (word + ' ' + i + ' ').repeat(2000) + '\\n';
        for (let i = 0; i < ${files}; i++) ops.push({ kind: 'write', path: 'f' + i + '.txt', content: text('new', i).repeat(20) });
        process.stdout.write('start\\n');
        n.applyPlan(${JSON.stringify(root)}, { operations: ops }).then(() => process.stdout.write('done\\n'));
      `;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Listen for the exit at once: the plan may finish before the kill.
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise<void>((resolve) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', () => resolve());
      });
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await exited;
      let updated = 0;
      for (let i = 0; i < files; i++) {
        const text = read(root, `f${i}.txt`);
        expect(text === old(i) || text === fresh(i)).toBe(true);
        if (text === fresh(i)) updated++;
      }
      console.log(`[crash] killed after ${delayMs} ms: ${updated} of ${files} files new, the rest old, none torn`);
    }
  });
});
