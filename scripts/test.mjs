#!/usr/bin/env node
// The full check behind `npm test`. Runs these steps in order from the
// repository root and stops at the first one that fails:
//
//   fmt          cargo fmt --all -- --check
//   clippy       cargo clippy --workspace --all-targets -- -D warnings
//   cargo-test   cargo test --workspace
//   fuzz-smoke   the fuzzer (fuzz/, its own workspace), every target for 1 s
//   build        npx napi build --platform --release   (regenerates index.js / index.d.ts)
//   generated    node scripts/check-generated.mjs       (they must match what is committed)
//   vitest       npx vitest run
//   bench        node benchmark/index.mjs --quick        (smoke run only; skipped when absent)
//
// npx runs as `npx --no -- <bin>`, so it only ever uses the installed bins.
//
// Skipping steps locally: set PATCHKIT_TEST_SKIP to a comma-separated list of
// step names, e.g.
//
//   PATCHKIT_TEST_SKIP=fmt,clippy npm test
//
// An unknown step name is an error, so a typo cannot silently run everything.
// CI does not set it.
//
// Exit code: 0 when every step passed, otherwise the failing step's exit code
// (1 if it had none, e.g. it was killed or could not be started), 2 for a bad
// PATCHKIT_TEST_SKIP.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = process.execPath;

/**
 * `npx <bin> <args>` without a shell, for a bin from this package's own
 * devDependencies. `--no` makes npx fail instead of fetching a same-named
 * package when node_modules is incomplete. On Windows npx is a .cmd script,
 * which Node (since 20.12) refuses to spawn without a shell, so there npm's
 * npx-cli.js is run with this node when it sits in the usual place.
 */
function npx(bin, ...rest) {
  const args = ['--no', '--', bin, ...rest];
  if (process.platform !== 'win32') return { command: 'npx', args };
  const cli = path.join(path.dirname(NODE), 'node_modules', 'npm', 'bin', 'npx-cli.js');
  return existsSync(cli) ? { command: NODE, args: [cli, ...args] } : { command: 'npx.cmd', args };
}

const STEPS = [
  { name: 'fmt', command: 'cargo', args: ['fmt', '--all', '--', '--check'] },
  { name: 'clippy', command: 'cargo', args: ['clippy', '--workspace', '--all-targets', '--', '-D', 'warnings'] },
  { name: 'cargo-test', command: 'cargo', args: ['test', '--workspace'] },
  // Keeps the fuzzer compiling and its targets passing; real runs: `npm run fuzz`.
  { name: 'fuzz-smoke', command: 'cargo', args: ['run', '--quiet', '--manifest-path', 'fuzz/Cargo.toml', '--', 'all', '1', '1'] },
  { name: 'build', ...npx('napi', 'build', '--platform', '--release') },
  { name: 'generated', command: NODE, args: ['scripts/check-generated.mjs'] },
  { name: 'vitest', ...npx('vitest', 'run') },
  {
    name: 'bench',
    command: NODE,
    args: ['benchmark/index.mjs', '--quick'],
    skipReason: () => (existsSync(path.join(ROOT, 'benchmark', 'index.mjs')) ? null : 'benchmark/index.mjs not present'),
  },
];

/** Step names listed in PATCHKIT_TEST_SKIP; exits 2 on an unknown name. */
function skippedSteps() {
  const names = (process.env.PATCHKIT_TEST_SKIP ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = new Set(STEPS.map((step) => step.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    console.error(`✗ PATCHKIT_TEST_SKIP names unknown step(s): ${unknown.join(', ')}`);
    console.error(`  known steps: ${[...known].join(', ')}`);
    process.exit(2);
  }
  return new Set(names);
}

function seconds(startMs) {
  return `${((performance.now() - startMs) / 1000).toFixed(1)}s`;
}

function display(step) {
  const command = step.command === NODE ? 'node' : step.command;
  return [command, ...step.args].join(' ');
}

/** Runs one step; returns 0 on success, otherwise the exit code to use. */
function runStep(step) {
  console.log(`\n▶ ${step.name}: ${display(step)}`);
  const start = performance.now();
  const result = spawnSync(step.command, step.args, { cwd: ROOT, stdio: 'inherit', shell: false });
  if (result.error) {
    console.error(`✗ ${step.name}: could not start \`${step.command}\`: ${result.error.message} (${seconds(start)})`);
    return 1;
  }
  if (result.signal) {
    console.error(`✗ ${step.name}: killed by ${result.signal} (${seconds(start)})`);
    return 1;
  }
  if (result.status !== 0) {
    console.error(`✗ ${step.name}: failed with exit code ${result.status} (${seconds(start)})`);
    return result.status;
  }
  console.log(`✓ ${step.name} (${seconds(start)})`);
  return 0;
}

function main() {
  const skip = skippedSteps();
  const start = performance.now();
  let ran = 0;
  for (const step of STEPS) {
    const reason = skip.has(step.name) ? 'PATCHKIT_TEST_SKIP' : step.skipReason?.();
    if (reason) {
      console.log(`\n○ ${step.name}: skipped (${reason})`);
      continue;
    }
    const code = runStep(step);
    if (code !== 0) {
      console.log(`steps: ${ran} passed, 1 failed`);
      return code;
    }
    ran += 1;
  }
  console.log(`\n✓ ${ran} step(s) passed in ${seconds(start)}${skip.size ? ` (skipped: ${[...skip].join(', ')})` : ''}`);
  // A closing line in the plain "N passed, N failed" form, for CI logs.
  console.log(`steps: ${ran} passed, 0 failed`);
  return 0;
}

process.exitCode = main();
