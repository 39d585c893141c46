// The addon as a consumer sees it. A temporary pnpm workspace holds a copy of
// examples/spool linked to this repository; it must install, typecheck
// (strict, NodeNext) and pass the spool's own vitest suite. ESM and CommonJS
// code must load the package by name, and `npm pack` must ship exactly the
// files a consumer needs. Slow (pnpm, tsc and a nested vitest run): up to
// about two minutes, mostly the first install into an empty pnpm store.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const NAME = '@cortex-os/patchkit-native';
const SLOW = 180_000;

const require = createRequire(import.meta.url);
const addon = require('../index.js') as typeof import('../index.js');

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'patchkit-consumer-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The environment of a consumer's shell: without the variables of the
 * vitest run this file is in (a nested vitest would take them for its own)
 * or of an npm script that started it.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|npm_)/i.test(key)) env[key] = value;
  }
  return { ...env, CI: 'true', NO_COLOR: '1' };
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: consumerEnv(), encoding: 'utf8', timeout: SLOW });
}

/** Asserts exit code 0, showing the command's output when it is not. */
function expectSuccess(result: SpawnSyncReturns<string>, what: string): void {
  const how = result.error ? `${result.error.message}` : `exit ${result.status ?? result.signal}`;
  const output = `${what} failed (${how})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
  expect(result.status, output).toBe(0);
}

/** pnpm from PATH, or pnpm 9 installed into a temporary prefix. */
function findPnpm(): string {
  if (run('pnpm', ['--version'], tmp).status === 0) return 'pnpm';
  const prefix = path.join(tmp, 'tools');
  const install = run('npm', ['install', '--prefix', prefix, 'pnpm@9', '--no-audit', '--no-fund'], tmp);
  expectSuccess(install, 'npm install pnpm@9');
  return path.join(prefix, 'node_modules', '.bin', 'pnpm');
}

/** A workspace with packages/spool: examples/spool with its addon dependency linked here. */
function makeWorkspace(): string {
  const ws = path.join(tmp, 'workspace');
  const spool = path.join(ws, 'packages', 'spool');
  const skipped = new Set(['node_modules', 'pnpm-lock.yaml']);
  fs.cpSync(path.join(ROOT, 'examples', 'spool'), spool, {
    recursive: true,
    filter: (source) => !skipped.has(path.basename(source)),
  });
  const manifestPath = path.join(spool, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  manifest.dependencies[NAME] = `link:${ROOT}`;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(ws, 'package.json'), JSON.stringify({ name: 'consumer-workspace', private: true }));
  fs.writeFileSync(path.join(ws, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*'\n");
  return ws;
}

describe('a pnpm workspace package that depends on the addon (examples/spool)', () => {
  let pnpm: string;
  let ws: string;

  beforeAll(() => {
    pnpm = findPnpm();
    ws = makeWorkspace();
    // Scripts stay off: the addon's `prepare` would rebuild it.
    const flags = ['--ignore-scripts', '--no-frozen-lockfile'];
    const offline = run(pnpm, ['install', '--offline', ...flags], ws);
    if (offline.status !== 0) {
      expectSuccess(run(pnpm, ['install', '--prefer-offline', ...flags], ws), 'pnpm install --prefer-offline');
    }
    const linked = path.join(ws, 'packages', 'spool', 'node_modules', ...NAME.split('/'));
    expect(fs.realpathSync(linked)).toBe(fs.realpathSync(ROOT));
  }, SLOW);

  it('typechecks with strict NodeNext settings (pnpm -r exec tsc --noEmit)', () => {
    expectSuccess(run(pnpm, ['-r', 'exec', 'tsc', '--noEmit'], ws), 'pnpm -r exec tsc --noEmit');
  }, SLOW);

  it("passes the spool's own vitest suite (pnpm --filter ./packages/spool test)", () => {
    const result = run(pnpm, ['--filter', './packages/spool', 'test'], ws);
    expectSuccess(result, 'pnpm --filter ./packages/spool test');
    expect(result.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(result.stdout).not.toMatch(/failed|skipped/);
  }, SLOW);
});

describe('loading the package by name', () => {
  let dir: string;

  beforeAll(() => {
    dir = path.join(tmp, 'loader');
    const scope = path.join(dir, 'node_modules', '@cortex-os');
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(ROOT, path.join(scope, 'patchkit-native'), 'dir');
    const manifest = { name: 'loader-check', private: true, dependencies: { [NAME]: `link:${ROOT}` } };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  });

  /** Runs `source` with node from the temp package; it prints one JSON value. */
  function runScript(file: string, source: string): { patch: unknown; keys: string[]; defaultIsModule?: boolean } {
    fs.writeFileSync(path.join(dir, file), source);
    const result = run(process.execPath, [file], dir);
    expectSuccess(result, `node ${file}`);
    return JSON.parse(result.stdout);
  }

  const expected = () => addon.createDiff('a.txt', 'a\nb\n', 'a\nc\n');
  const exported = () => Object.keys(addon).sort();

  it('works from ESM: named imports, the default import and the namespace', () => {
    const out = runScript(
      'esm.mjs',
      `import { createDiff } from '${NAME}';
import patchkit from '${NAME}';
import * as ns from '${NAME}';
const keys = Object.keys(ns).filter((k) => k !== 'default').sort();
const patch = createDiff('a.txt', 'a\\nb\\n', 'a\\nc\\n');
console.log(JSON.stringify({ patch, keys, defaultIsModule: patchkit.createDiff === createDiff }));
`,
    );
    expect(out.patch).toEqual(expected());
    expect(out.defaultIsModule).toBe(true);
    expect(out.keys).toEqual(exported());
  });

  it('works from CommonJS: require()', () => {
    const out = runScript(
      'cjs.cjs',
      `const patchkit = require('${NAME}');
const patch = patchkit.createDiff('a.txt', 'a\\nb\\n', 'a\\nc\\n');
console.log(JSON.stringify({ patch, keys: Object.keys(patchkit).sort() }));
`,
    );
    expect(out.patch).toEqual(expected());
    expect(out.keys).toEqual(exported());
  });
});

describe('the published tarball (npm pack --dry-run)', () => {
  it('holds exactly what a consumer needs', () => {
    // --ignore-scripts: packing a directory would otherwise run `prepare`, a full native build.
    const result = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    expectSuccess(result, 'npm pack --dry-run --json');
    const [pack] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
    const files = pack!.files.map((f) => f.path).sort();

    const development = /^(src|crates|__test__|target|node_modules|benchmark|examples\/spool)\//;
    const forbidden = files.filter((f) => development.test(f));
    expect(forbidden, 'development files in the tarball').toEqual([]);
    const data = fs.readdirSync(path.join(ROOT, 'examples', 'data')).map((f) => `examples/data/${f}`);
    const needed = ['COMPAT.md', 'LICENSE', 'README.md', 'bin/patchkit.mjs', 'index.d.ts', 'index.js', 'package.json', ...data];
    expect(files).toEqual(needed.sort());
  });
});
