#!/usr/bin/env node
// patchkit: a small command line around @cortex-os/patchkit-native.
//
//   patchkit diff <old> <new> [--json] [--context N]
//   patchkit apply <file> <patchfile> [--check]
//   patchkit demo
//
// Exit codes: 0 success, 1 patch conflict, 2 bad usage or bad input,
// 3 unexpected failure (including a native addon that cannot be loaded).

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

const EXIT_OK = 0;
const EXIT_CONFLICT = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 3;

const USAGE = `Usage:
  patchkit diff <old> <new> [--json] [--context N]
      Print the unified diff from <old> to <new>. A missing file counts as
      absent (the diff then creates or deletes it). The summary goes to
      stderr; with --json the whole FilePatch is printed as JSON instead.
  patchkit apply <file> <patchfile> [--check]
      Apply the unified diff in <patchfile> ('-' reads stdin) to <file> and
      write the result back. With --check, only report whether it applies.
  patchkit demo
      Diff examples/data/before.ts against after.ts and apply the result.
  patchkit --help | --version

Options:
  --context N   context lines around each change (default 3)
  --json        print the FilePatch as JSON (diff only)
  --check       do not write anything (apply only)

Exit codes: 0 ok, 1 patch conflict, 2 bad usage or input, 3 internal error.
`;

/** An expected failure: printed as one message, never with a stack trace. */
class CliError extends Error {
  constructor(message, exitCode = EXIT_USAGE, details = []) {
    super(message);
    this.exitCode = exitCode;
    this.details = details;
    this.showHelpHint = false;
  }
}

/** A malformed command line: reported with a pointer to --help. */
function usageError(message) {
  const error = new CliError(message, EXIT_USAGE);
  error.showHelpHint = true;
  return error;
}

// ---------------------------------------------------------------------------
// Addon and package metadata

let addon;

/** Loads the native addon on first use, so --help works without a build. */
function loadAddon() {
  if (!addon) {
    try {
      addon = require('../index.js');
    } catch (error) {
      throw new CliError(
        `cannot load the native addon (${firstLine(error.message)}); run \`npm run build\` first`,
        EXIT_INTERNAL,
      );
    }
  }
  return addon;
}

function packageVersion() {
  return require('../package.json').version;
}

// ---------------------------------------------------------------------------
// Argument parsing

const COMMANDS = {
  diff: { positionals: ['old', 'new'], flags: ['--json'], valueFlags: ['--context'], run: runDiff },
  apply: { positionals: ['file', 'patchfile'], flags: ['--check'], valueFlags: [], run: runApply },
  demo: { positionals: [], flags: [], valueFlags: [], run: runDemo },
};

/**
 * Splits argv into positionals and options for one command. Accepts
 * `--flag value`, `--flag=value` and `--` (everything after is positional).
 */
function parseArgs(command, argv) {
  const spec = COMMANDS[command];
  const positionals = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (spec.valueFlags.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw usageError(`${name} needs a value`);
      options[name.slice(2)] = value;
    } else if (spec.flags.includes(name) && eq === -1) {
      options[name.slice(2)] = true;
    } else {
      throw usageError(`unknown option for \`${command}\`: ${arg}`);
    }
  }
  checkPositionals(command, spec.positionals, positionals);
  return { positionals, options };
}

function checkPositionals(command, expected, actual) {
  if (actual.length < expected.length) {
    const missing = expected.slice(actual.length).map((name) => `<${name}>`);
    throw usageError(`\`${command}\` is missing ${missing.join(' and ')}`);
  }
  if (actual.length > expected.length) {
    throw usageError(`\`${command}\` got an unexpected argument: ${actual[expected.length]}`);
  }
}

/** `--context` as a non-negative integer (default 3). */
function parseContext(value) {
  if (value === undefined) return 3;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw usageError(`--context must be a non-negative integer, got '${value}'`);
  }
  return Number(value);
}

// ---------------------------------------------------------------------------
// Files

/** Reads a UTF-8 file; a file that does not exist reads as `null`. */
function readOptional(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw new CliError(`cannot read ${file}: ${describeIoError(error)}`);
  }
}

/** Reads a UTF-8 file that must exist; `-` reads stdin. */
function readRequired(file) {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file === '-' ? 'stdin' : file}: ${describeIoError(error)}`);
  }
}

/**
 * Replaces `file` atomically: writes a temporary file next to it (following
 * a symlink to its target), flushes it, then renames it over the original.
 * The original's permission bits are kept.
 */
function writeAtomic(file, content) {
  const target = resolveLink(file);
  const mode = existingMode(target);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.patchkit-${process.pid}-${Date.now().toString(36)}.tmp`,
  );
  try {
    const fd = fs.openSync(temp, 'wx', mode ?? 0o666);
    try {
      fs.writeFileSync(fd, content, 'utf8');
      if (mode !== undefined) fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new CliError(`cannot write ${file}: ${describeIoError(error)}`);
  }
}

function resolveLink(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function existingMode(file) {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function describeIoError(error) {
  const reasons = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
  };
  return reasons[error.code] ?? firstLine(error.message);
}

/** Patch paths always use forward slashes, whatever the platform. */
function toPatchPath(file) {
  return file.replace(/\\/g, '/');
}

// ---------------------------------------------------------------------------
// Output

function out(text) {
  process.stdout.write(text);
}

function err(text) {
  process.stderr.write(text);
}

function firstLine(text) {
  return String(text).split('\n', 1)[0];
}

function summaryLine(patch) {
  const { changeType, path: file, additions, deletions } = patch.summary;
  return `${changeType} ${file}: +${additions} -${deletions}`;
}

/** Shows a line from a conflict report, making whitespace and absence visible. */
function showLine(value) {
  return value === undefined || value === null ? '(end of file)' : JSON.stringify(value);
}

/**
 * The hunk/line/expected/actual fields of a PATCH_CONFLICT error. `hunk` is
 * 0-based (shown 1-based); `line` is the 1-based baseline line it looked at.
 */
function conflictDetails(error, baselineName) {
  const details = [];
  const where = [];
  if (Number.isInteger(error.hunk)) where.push(`hunk #${error.hunk + 1}`);
  if (Number.isInteger(error.line)) where.push(`at line ${error.line} of ${baselineName}`);
  if (where.length > 0) details.push(where.join(', '));
  if ('expected' in error) details.push(`expected: ${showLine(error.expected)}`);
  if ('actual' in error) details.push(`actual:   ${showLine(error.actual)}`);
  return details;
}

/**
 * Maps an error thrown by the addon to a CliError. `names.patch` names the
 * patch text's origin (for parse errors), `names.baseline` the file it was
 * applied to (for conflicts).
 */
function fromAddonError(error, names) {
  switch (error?.code) {
    case 'PATCH_CONFLICT':
      return new CliError(error.message, EXIT_CONFLICT, conflictDetails(error, names.baseline));
    case 'PATCH_PARSE':
      return new CliError(`${names.patch}: ${error.message}`, EXIT_USAGE);
    case 'INVALID_ARGUMENT':
    case 'INPUT_TOO_LARGE':
      return new CliError(error.message, EXIT_USAGE);
    default:
      return error;
  }
}

// ---------------------------------------------------------------------------
// Commands

function runDiff({ positionals: [oldFile, newFile], options }) {
  const contextLines = parseContext(options.context);
  const before = readOptional(oldFile);
  const after = readOptional(newFile);
  if (before === null && after === null) {
    throw new CliError(`neither ${oldFile} nor ${newFile} exists`);
  }
  const patchPath = toPatchPath(after === null ? oldFile : newFile);
  const patch = diffFiles(patchPath, before, after, contextLines);
  if (options.json) {
    out(`${JSON.stringify(patch, null, 2)}\n`);
  } else {
    out(patch.diff);
    err(`${summaryLine(patch)}\n`);
  }
  return EXIT_OK;
}

function diffFiles(patchPath, before, after, contextLines) {
  try {
    return loadAddon().createDiff(patchPath, before, after, { contextLines });
  } catch (error) {
    throw fromAddonError(error, { baseline: patchPath, patch: patchPath });
  }
}

function runApply({ positionals: [file, patchFile], options }) {
  const patchText = readRequired(patchFile);
  const baseline = readOptional(file);
  const result = applyText(baseline, patchText, {
    baseline: file,
    patch: patchFile === '-' ? 'stdin' : patchFile,
  });
  if (options.check) {
    out(`${file}: patch applies cleanly\n`);
  } else {
    writeAtomic(file, result);
    out(`patched ${file}\n`);
  }
  return EXIT_OK;
}

function applyText(baseline, patchText, names) {
  try {
    return loadAddon().applyPatch(baseline, patchText);
  } catch (error) {
    throw fromAddonError(error, names);
  }
}

function runDemo() {
  const beforeFile = path.join(PACKAGE_ROOT, 'examples', 'data', 'before.ts');
  const afterFile = path.join(PACKAGE_ROOT, 'examples', 'data', 'after.ts');
  const before = readRequired(beforeFile);
  const after = readRequired(afterFile);
  const { createDiff, applyPatch, hasConflicts } = loadAddon();

  const patch = createDiff('examples/data/after.ts', before, after);
  out(`$ patchkit diff examples/data/before.ts examples/data/after.ts\n\n`);
  out(patch.diff);
  out(`\n${formatSummary(patch)}\n`);

  const conflicts = hasConflicts(before, patch.diff);
  const matches = applyPatch(before, patch.diff) === after;
  out('\nRound trip (apply the diff to before.ts)\n');
  out(formatRows([
    ['conflicts', conflicts ? 'yes' : 'no'],
    ['result', matches ? 'identical to after.ts' : 'DIFFERS from after.ts'],
  ]));
  out('\n');
  return matches ? EXIT_OK : EXIT_INTERNAL;
}

function formatSummary(patch) {
  const { summary } = patch;
  const rows = [
    ['path', summary.path],
    ['change type', summary.changeType],
    ['hunks', String(patch.hunks.length)],
    ['additions', `+${summary.additions}`],
    ['deletions', `-${summary.deletions}`],
    ['sha before', patch.shaBefore ?? '(none)'],
    ['sha after', patch.shaAfter ?? '(none)'],
  ];
  const lines = ['Summary', formatRows(rows)];
  if (summary.preview === undefined) {
    lines.push(formatRows([['preview', '(nothing to show)']]));
  } else {
    lines.push('  preview', ...summary.preview.split('\n').map((line) => `    │ ${line}`));
  }
  return lines.join('\n');
}

/** Label/value rows, labels padded into one column. */
function formatRows(rows) {
  return rows.map(([label, value]) => `  ${label.padEnd(13)} ${value}`).join('\n');
}

// ---------------------------------------------------------------------------
// Entry point

function main(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) {
    err(USAGE);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    out(USAGE);
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    out(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[first];
  if (!command) {
    throw usageError(`unknown command '${first}'`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(USAGE);
    return EXIT_OK;
  }
  return command.run(parseArgs(first, rest));
}

function reportError(error) {
  if (error instanceof CliError) {
    err(`patchkit: ${error.message}\n`);
    for (const detail of error.details) err(`  ${detail}\n`);
    if (error.showHelpHint) {
      err('Run `patchkit --help` for usage.\n');
    }
    return error.exitCode;
  }
  // Not expected: keep the stack, it is the only clue.
  err(`patchkit: unexpected error: ${error?.stack ?? error}\n`);
  return EXIT_INTERNAL;
}

// A closed pipe (`patchkit diff a b | head`) is not an error worth a stack.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT_OK);
});

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportError(error);
}
