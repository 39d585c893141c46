// End-to-end tests of bin/patchkit.mjs: each test spawns the CLI on files in
// a fresh temp directory and checks its output, exit code and files against
// the addon itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const addon = require('../index.js') as typeof import('../index.js');
const pkg = require('../package.json') as { version: string };

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'patchkit.mjs');

// Two edits five lines apart: one hunk with 3 context lines, two with 0.
const OLD = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', ''].join('\n');
const NEW = ['alpha', 'BETA', 'gamma', 'delta', 'epsilon', 'zeta', 'ETA', 'theta', 'iota', 'kappa', ''].join('\n');

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-cli-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with `cwd` = the temp dir (or `cwd`), so paths can be relative. */
function run(args: string[], cwd = dir) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, content: string): string {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
}

function read(name: string): string {
  return fs.readFileSync(path.join(dir, name), 'utf8');
}

describe('patchkit diff', () => {
  it('prints the same diff text as createDiff, and the summary on stderr', () => {
    write('old.txt', OLD);
    write('new.txt', NEW);
    const expected = addon.createDiff('new.txt', OLD, NEW, { contextLines: 3 });

    const { status, stdout, stderr } = run(['diff', 'old.txt', 'new.txt']);

    expect(status).toBe(0);
    expect(stdout).toBe(expected.diff);
    expect(stdout).toContain('@@ -1,10 +1,10 @@');
    expect(stderr.trim()).toBe('modified new.txt: +2 -2');
  });

  it('--json prints the whole FilePatch and nothing else', () => {
    write('old.txt', OLD);
    write('new.txt', NEW);
    const expected = addon.createDiff('new.txt', OLD, NEW, { contextLines: 3 });

    const { status, stdout, stderr } = run(['diff', '--json', 'old.txt', 'new.txt']);

    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('--context 0 changes the hunks', () => {
    write('old.txt', OLD);
    write('new.txt', NEW);

    const wide = JSON.parse(run(['diff', 'old.txt', 'new.txt', '--json']).stdout);
    const narrow = run(['diff', 'old.txt', 'new.txt', '--json', '--context', '0']);

    expect(narrow.status).toBe(0);
    const patch = JSON.parse(narrow.stdout);
    expect(patch.hunks).toEqual(addon.createDiff('new.txt', OLD, NEW, { contextLines: 0 }).hunks);
    expect(wide.hunks).toHaveLength(1);
    expect(patch.hunks).toHaveLength(2);
    expect(patch.hunks[0].lines).toEqual(['-beta', '+BETA']);
  });

  it('treats a missing old file as a created file', () => {
    write('new.txt', NEW);

    const { status, stdout } = run(['diff', 'absent.txt', 'new.txt', '--json']);

    expect(status).toBe(0);
    const patch = JSON.parse(stdout);
    expect(patch.changeType).toBe('created');
    expect(patch.shaBefore).toBeNull();
    expect(patch).toEqual(JSON.parse(JSON.stringify(addon.createDiff('new.txt', null, NEW))));
  });

  it('normalises backslashes in the patch path', () => {
    // On Windows `sub\new.txt` is a file in `sub`; elsewhere the backslash is
    // part of the file name. Either way the patch path uses `/`.
    fs.mkdirSync(path.join(dir, 'sub'));
    write('old.txt', OLD);
    write(process.platform === 'win32' ? 'sub/new.txt' : 'sub\\new.txt', NEW);

    const { status, stdout } = run(['diff', 'old.txt', 'sub\\new.txt']);

    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Index: sub/new.txt');
  });

  it('exits 2 when both files are missing', () => {
    const { status, stdout, stderr } = run(['diff', 'a.txt', 'b.txt']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('neither a.txt nor b.txt exists');
  });

  it.each([['-1'], ['x'], ['1.5']])('exits 2 on --context %s', (value) => {
    write('old.txt', OLD);
    write('new.txt', NEW);
    const { status, stdout, stderr } = run(['diff', 'old.txt', 'new.txt', '--context', value]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--context');
  });
});

describe('patchkit apply', () => {
  function writePatch(): string {
    return write('change.diff', addon.createDiff('file.txt', OLD, NEW).diff);
  }

  it('writes the patched content back to the file', () => {
    write('file.txt', OLD);
    writePatch();

    const { status, stderr } = run(['apply', 'file.txt', 'change.diff']);

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(read('file.txt')).toBe(NEW);
    expect(fs.readdirSync(dir).sort()).toEqual(['change.diff', 'file.txt']);
  });

  it('creates a missing file from a creation patch', () => {
    write('change.diff', addon.createDiff('file.txt', null, NEW).diff);

    const { status } = run(['apply', 'file.txt', 'change.diff']);

    expect(status).toBe(0);
    expect(read('file.txt')).toBe(NEW);
  });

  it('--check reports success and leaves the file unchanged', () => {
    write('file.txt', OLD);
    writePatch();

    const { status, stdout } = run(['apply', 'file.txt', 'change.diff', '--check']);

    expect(status).toBe(0);
    expect(stdout).toContain('applies cleanly');
    expect(read('file.txt')).toBe(OLD);
  });

  it('exits 1 on a conflict, reports where, and leaves the file unchanged', () => {
    const drifted = OLD.replace('beta', 'BETA?');
    write('file.txt', drifted);
    writePatch();

    const { status, stderr } = run(['apply', 'file.txt', 'change.diff']);

    expect(status).toBe(1);
    expect(stderr).toContain('Failed to apply patch for file.txt');
    expect(stderr).toContain('hunk #1');
    expect(stderr).toMatch(/line \d+ of file\.txt/);
    expect(stderr).toContain('"BETA?"');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(read('file.txt')).toBe(drifted);
  });

  it('exits 1 on a conflict with --check too', () => {
    write('file.txt', 'something else entirely\n');
    writePatch();

    const { status } = run(['apply', 'file.txt', 'change.diff', '--check']);

    expect(status).toBe(1);
    expect(read('file.txt')).toBe('something else entirely\n');
  });

  it('exits 2 on a patch that is not a unified diff, leaving the file unchanged', () => {
    write('file.txt', OLD);
    write('garbage.diff', 'this is not a patch\njust some words\n');

    const { status, stderr } = run(['apply', 'file.txt', 'garbage.diff']);

    expect(status).toBe(2);
    expect(stderr).toContain('garbage.diff');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(read('file.txt')).toBe(OLD);
  });

  it('exits 2 when the patch file does not exist', () => {
    write('file.txt', OLD);
    const { status, stderr } = run(['apply', 'file.txt', 'missing.diff']);
    expect(status).toBe(2);
    expect(stderr).toContain('missing.diff');
    expect(read('file.txt')).toBe(OLD);
  });
});

describe('usage errors', () => {
  it.each([
    [['diff', 'a.txt', 'b.txt', '--bogus']],
    [['apply', 'a.txt', 'b.diff', '--json']],
    [['demo', '--check']],
  ])('exits 2 on an unknown flag: %j', (args) => {
    const { status, stdout, stderr } = run(args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/unknown option/);
  });

  it.each([[['diff']], [['diff', 'a.txt']], [['apply', 'a.txt']], [['apply']]])(
    'exits 2 on missing arguments: %j',
    (args) => {
      const { status, stdout, stderr } = run(args);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('is missing');
    },
  );

  it('exits 2 on an extra argument', () => {
    const { status, stderr } = run(['diff', 'a', 'b', 'c']);
    expect(status).toBe(2);
    expect(stderr).toContain('unexpected argument');
  });

  it('exits 2 on an unknown command', () => {
    const { status, stderr } = run(['frobnicate']);
    expect(status).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('prints usage and exits 2 with no arguments', () => {
    const { status, stdout, stderr } = run([]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage:');
  });

  it('--help prints usage and exits 0', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('patchkit diff <old> <new>');
    expect(stdout).toContain('patchkit apply <file> <patchfile>');
  });

  it('--version prints the package version', () => {
    const { status, stdout } = run(['--version']);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });
});

describe('patchkit demo', () => {
  it('diffs the example files, shows the summary and round-trips', () => {
    const before = fs.readFileSync(path.join(ROOT, 'examples/data/before.ts'), 'utf8');
    const after = fs.readFileSync(path.join(ROOT, 'examples/data/after.ts'), 'utf8');
    const patch = addon.createDiff('examples/data/after.ts', before, after);

    // Run from elsewhere: the example paths must resolve from the package root.
    const { status, stdout } = run(['demo'], os.tmpdir());

    expect(status).toBe(0);
    expect(stdout).toContain('@@');
    expect(stdout).toContain(patch.diff);
    expect(patch.hunks.length).toBeGreaterThanOrEqual(3);
    expect(stdout).toContain(patch.shaBefore!);
    expect(stdout).toContain(patch.shaAfter!);
    expect(stdout).toContain(`+${patch.summary.additions}`);
    expect(stdout).toMatch(/result\s+identical to after\.ts/);
  });
});
