#!/usr/bin/env node
// Checks that the committed index.js and index.d.ts are what the build
// generates. Run it right after `napi build` (scripts/test.mjs does): the
// build rewrites both files in place, so any `git diff` on them means the
// committed copies are stale.
//
// Where git is unavailable, or a file is not tracked (e.g. a fresh checkout
// before its first commit), that file is only checked to exist and be
// non-empty.
//
// Exit code: 0 up to date, 1 a file differs, is missing or is empty.

import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = ['index.js', 'index.d.ts'];
const FIX = 'Run `npm run build` and commit the regenerated index.js and index.d.ts.';

/** Runs git in the repository root; `null` when git cannot be started. */
function git(...args) {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', shell: false });
  if (result.error) return null;
  return result;
}

function insideWorkTree() {
  const result = git('rev-parse', '--is-inside-work-tree');
  return result !== null && result.status === 0 && result.stdout.trim() === 'true';
}

function isTracked(file) {
  return git('ls-files', '--error-unmatch', '--', file)?.status === 0;
}

const MAX_DIFF_LINES = 40;

/** `null` when the file matches the index, else a problem description. */
function gitProblem(file) {
  const result = git('diff', '--exit-code', '--no-color', '--', file);
  if (result.status === 0) return null;
  if (result.status === 1) {
    return `${file} differs from the committed version (the build regenerated it):\n${indent(excerpt(result.stdout, file))}`;
  }
  return `git diff failed for ${file}: ${result.stderr.trim()}`;
}

/** The first MAX_DIFF_LINES lines of a diff, noting how many were cut. */
function excerpt(diffText, file) {
  const lines = diffText.trimEnd().split('\n');
  if (lines.length <= MAX_DIFF_LINES) return lines.join('\n');
  const cut = lines.length - MAX_DIFF_LINES;
  return [...lines.slice(0, MAX_DIFF_LINES), `... (${cut} more line(s); see \`git diff -- ${file}\`)`].join('\n');
}

/** The fallback check: the file exists and is non-empty. */
function presenceProblem(file) {
  try {
    return statSync(path.join(ROOT, file)).size > 0 ? null : `${file} is empty`;
  } catch {
    return `${file} is missing`;
  }
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function main() {
  const useGit = insideWorkTree();
  if (!useGit) {
    console.log('check-generated: git unavailable or not a work tree; only checking the files exist');
  }
  const problems = [];
  for (const file of GENERATED) {
    const tracked = useGit && isTracked(file);
    if (useGit && !tracked) {
      console.log(`check-generated: ${file} is not tracked by git; only checking it exists`);
    }
    const problem = tracked ? gitProblem(file) : presenceProblem(file);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`✗ ${problem}`);
    console.error(FIX);
    return 1;
  }
  console.log(`check-generated: ${GENERATED.join(' and ')} up to date`);
  return 0;
}

process.exitCode = main();
