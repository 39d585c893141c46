// Deterministic input generators for the benchmark.
//
// Every case is built from a fixed seed, so the parent process, the RSS
// children and a rerun next week all diff exactly the same text. The text
// looks like TypeScript: imports, doc comments, functions with nested
// `if`/`for`/`try` blocks, interfaces, classes, blank lines, and the many
// repeated `}` lines that make line diffs ambiguous (and jsdiff slow). This
// module never times anything and never touches the addon.

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable 32-bit PRNG. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p) {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------
// TypeScript-like lines
// ---------------------------------------------------------------------------

const WORDS = [
  'user', 'order', 'session', 'patch', 'file', 'path', 'diff', 'hunk', 'line', 'item', 'entry', 'result',
  'config', 'options', 'state', 'cache', 'request', 'response', 'token', 'event', 'queue', 'task', 'plan',
  'snapshot', 'record', 'buffer', 'stream', 'handler', 'context', 'payload', 'summary', 'preview', 'index',
  'count', 'limit', 'offset', 'value', 'key', 'name', 'id', 'source', 'target', 'baseline', 'proposed',
  'metric', 'logger', 'client', 'server', 'router', 'schema', 'model', 'agent', 'tool', 'message', 'batch',
];
const VERBS = [
  'get', 'set', 'load', 'save', 'build', 'parse', 'format', 'apply', 'create', 'update', 'remove', 'resolve',
  'validate', 'normalize', 'collect', 'render', 'emit', 'flush', 'compute', 'merge', 'find', 'read', 'write',
];
const TYPES = [
  'string', 'number', 'boolean', 'unknown', 'string[]', 'Record<string, unknown>', 'Map<string, number>',
  'Promise<void>', 'FilePatch', 'DiffHunk', 'PatchPlan', 'Options', 'Session', 'Snapshot', 'Buffer',
];
const MODULES = ['./util', './types', '../core/state', '../io/files', './logger', '@cortex-os/protocol', 'node:path'];

const cap = (w) => w[0].toUpperCase() + w.slice(1);

function ident(rng) {
  const a = rng.pick(WORDS);
  return rng.chance(0.5) ? a + cap(rng.pick(WORDS)) : a;
}
const fnName = (rng) => rng.pick(VERBS) + cap(rng.pick(WORDS)) + (rng.chance(0.3) ? cap(rng.pick(WORDS)) : '');
const typeName = (rng) => cap(rng.pick(WORDS)) + cap(rng.pick(WORDS));
const words = (rng, n) => Array.from({ length: n }, () => rng.pick(WORDS)).join(' ');

function expr(rng) {
  switch (rng.int(0, 7)) {
    case 0:
      return String(rng.int(0, 4096));
    case 1:
      return `'${rng.pick(WORDS)}-${rng.pick(WORDS)}'`;
    case 2:
      return `${ident(rng)}.${ident(rng)}`;
    case 3:
      return `${ident(rng)} ?? ${rng.int(0, 99)}`;
    case 4:
      return `${fnName(rng)}(${ident(rng)}, ${rng.int(1, 64)})`;
    case 5:
      return `${ident(rng)}.length > ${rng.int(0, 32)} ? ${ident(rng)} : null`;
    case 6:
      return `{ ${ident(rng)}, ${ident(rng)}: ${rng.int(0, 9)} }`;
    default:
      return `await ${fnName(rng)}(${ident(rng)})`;
  }
}

function statement(rng) {
  switch (rng.int(0, 11)) {
    case 0:
    case 1:
    case 2:
      return `const ${ident(rng)} = ${expr(rng)};`;
    case 3:
      return `let ${ident(rng)} = ${expr(rng)};`;
    case 4:
      return `${ident(rng)}.${fnName(rng)}(${ident(rng)}, ${expr(rng)});`;
    case 5:
      return `await ${fnName(rng)}(${ident(rng)});`;
    case 6:
      return `this.${ident(rng)} = ${expr(rng)};`;
    case 7:
      return `if (!${ident(rng)}) return ${expr(rng)};`;
    case 8:
      return `// ${cap(words(rng, rng.int(3, 9)))}.`;
    case 9:
      return `logger.debug('${words(rng, 3)}', { ${ident(rng)} });`;
    case 10:
      return `${ident(rng)} += ${rng.int(1, 16)};`;
    default:
      return `throw new Error('${words(rng, rng.int(2, 6))}');`;
  }
}

function blockOpener(rng) {
  switch (rng.int(0, 3)) {
    case 0:
      return `if (${ident(rng)}.${ident(rng)} === ${expr(rng)}) {`;
    case 1:
      return `for (const ${rng.pick(WORDS)} of ${ident(rng)}) {`;
    case 2:
      return `while (${ident(rng)} < ${rng.int(1, 100)}) {`;
    default:
      return `if (${ident(rng)}) {`;
  }
}

/** Exactly `n` lines of statements and nested blocks at `depth`. */
function body(rng, n, depth) {
  const pad = '  '.repeat(depth);
  const out = [];
  while (out.length < n) {
    const left = n - out.length;
    if (left >= 7 && depth < 4 && rng.chance(0.06)) {
      const first = rng.int(1, Math.min(4, left - 5));
      const second = rng.int(1, Math.min(4, left - 3 - first));
      out.push(`${pad}try {`, ...body(rng, first, depth + 1), `${pad}} catch (error) {`);
      out.push(...body(rng, second, depth + 1), `${pad}}`);
    } else if (left >= 3 && depth < 4 && rng.chance(0.22)) {
      const inner = rng.int(1, Math.min(left - 2, 8));
      out.push(pad + blockOpener(rng), ...body(rng, inner, depth + 1), `${pad}}`);
    } else if (left >= 2 && out.length > 0 && out[out.length - 1] !== '' && rng.chance(0.1)) {
      out.push('');
    } else if (left === 1 && depth === 1 && rng.chance(0.7)) {
      out.push(`${pad}return ${rng.chance(0.5) ? 'result' : expr(rng)};`);
    } else {
      out.push(pad + statement(rng));
    }
  }
  return out;
}

/** A function of exactly `n` lines (n >= 3), header to closing `}`. */
export function functionLines(rng, n) {
  const params = Array.from({ length: rng.int(0, 3) }, () => `${ident(rng)}: ${rng.pick(TYPES)}`).join(', ');
  const asyncKw = rng.chance(0.4) ? 'async ' : '';
  const ret = asyncKw ? `Promise<${rng.pick(TYPES)}>` : rng.pick(TYPES);
  const header = `export ${asyncKw}function ${fnName(rng)}(${params}): ${ret} {`;
  return [header, ...body(rng, n - 2, 1), '}'];
}

function interfaceLines(rng) {
  const fields = Array.from(
    { length: rng.int(2, 9) },
    () => `  ${ident(rng)}${rng.chance(0.3) ? '?' : ''}: ${rng.pick(TYPES)};`,
  );
  return [`export interface ${typeName(rng)} {`, ...fields, '}'];
}

function classLines(rng) {
  const out = [`export class ${typeName(rng)} {`];
  for (let i = rng.int(1, 4); i > 0; i--) out.push(`  private ${ident(rng)}: ${rng.pick(TYPES)};`);
  for (let m = rng.int(1, 4); m > 0; m--) {
    out.push('');
    const params = rng.chance(0.5) ? `${ident(rng)}: ${rng.pick(TYPES)}` : '';
    out.push(`  ${rng.chance(0.3) ? 'async ' : ''}${fnName(rng)}(${params}) {`, ...body(rng, rng.int(2, 14), 2), '  }');
  }
  out.push('}');
  return out;
}

function constLines(rng) {
  if (rng.chance(0.5)) return [`export const ${ident(rng).toUpperCase()} = ${expr(rng)};`];
  const entries = Array.from({ length: rng.int(2, 6) }, () => `  ${ident(rng)}: ${expr(rng)},`);
  return [`export const ${ident(rng)} = {`, ...entries, '};'];
}

function docComment(rng) {
  return rng.chance(0.4) ? [`/** ${cap(words(rng, rng.int(4, 12)))}. */`] : [];
}

function importLines(rng) {
  return Array.from({ length: rng.int(4, 14) }, () => {
    const names = Array.from({ length: rng.int(1, 4) }, () => (rng.chance(0.5) ? typeName(rng) : fnName(rng)));
    return `import ${rng.chance(0.2) ? 'type ' : ''}{ ${names.join(', ')} } from '${rng.pick(MODULES)}';`;
  });
}

/** One top-level declaration (with its doc comment), followed by a blank line. */
function declaration(rng) {
  const roll = rng.next();
  let lines;
  if (roll < 0.55) lines = functionLines(rng, rng.int(6, 48));
  else if (roll < 0.7) lines = interfaceLines(rng);
  else if (roll < 0.88) lines = classLines(rng);
  else lines = constLines(rng);
  return [...docComment(rng), ...lines, ''];
}

/**
 * A TypeScript-like module of exactly `n` lines, as an array of blocks (each
 * block an array of lines; the first block holds the imports). The last
 * block is cut to make the count exact.
 */
export function moduleBlocks(rng, n) {
  const blocks = [[...importLines(rng), '']];
  let total = blocks[0].length;
  while (total < n) {
    const block = declaration(rng);
    blocks.push(block);
    total += block.length;
  }
  const last = blocks[blocks.length - 1];
  last.length -= total - n;
  return blocks;
}

export const moduleLines = (rng, n) => moduleBlocks(rng, n).flat();

/** Lines to text, every line ending in `\n`. */
export const toText = (lines) => (lines.length === 0 ? '' : `${lines.join('\n')}\n`);

// ---------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------

const indentOf = (line) => /^\s*/.exec(line)[0];
const isTrivial = (line) => line.trim() === '' || /^[\s{}();,]*$/.test(line);

/** The first non-trivial line at or after `i` (or `i` itself if none). */
function nonTrivialFrom(lines, i) {
  for (let j = i; j < Math.min(lines.length, i + 20); j++) if (!isTrivial(lines[j])) return j;
  return i;
}

/**
 * `count` small edits spread over the file (one per equal slice, at a random
 * spot in it): a changed line (50%), 1–3 inserted lines (25%), 1–2 deleted
 * lines (15%), or 2–3 lines replaced by 1–4 (10%). Returns new lines.
 */
export function scatteredEdits(rng, lines, count) {
  const out = [...lines];
  const slice = lines.length / count;
  const spots = Array.from({ length: count }, (_, k) => Math.floor(k * slice + rng.next() * (slice - 4)));
  for (const spot of spots.reverse()) {
    const i = nonTrivialFrom(out, spot);
    const pad = indentOf(out[i]);
    const roll = rng.next();
    if (roll < 0.5) {
      out[i] = pad + statement(rng);
    } else if (roll < 0.75) {
      const added = Array.from({ length: rng.int(1, 3) }, () => pad + statement(rng));
      out.splice(i + 1, 0, ...added);
    } else if (roll < 0.9) {
      out.splice(i, rng.int(1, 2));
    } else {
      const added = Array.from({ length: rng.int(1, 4) }, () => pad + statement(rng));
      out.splice(i, rng.int(2, 3), ...added);
    }
  }
  return out;
}

/**
 * Replaces about `fraction` of the lines with new statements (same
 * indentation), in clusters of 1–4 lines at random places. Returns new lines
 * and how many were changed.
 */
export function changeFraction(rng, lines, fraction) {
  const out = [...lines];
  const changed = new Uint8Array(lines.length);
  const goal = Math.round(lines.length * fraction);
  let count = 0;
  while (count < goal) {
    const start = rng.int(0, lines.length - 1);
    const len = Math.min(rng.int(1, 4), goal - count);
    for (let i = start; i < Math.min(start + len, lines.length); i++) {
      if (changed[i]) continue;
      changed[i] = 1;
      count++;
      out[i] = indentOf(lines[i]) + statement(rng);
    }
  }
  return { lines: out, changed: count };
}

// ---------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------

function pair(a, b, meta = {}) {
  return { path: 'src/module.ts', a: toText(a), b: toText(b), ...meta };
}

function caseScattered(n, edits, seed) {
  const rng = new Rng(seed);
  const a = moduleLines(rng, n);
  return pair(a, scatteredEdits(rng, a, edits));
}

function caseTenPercent() {
  const rng = new Rng(0x2002);
  const a = moduleLines(rng, 10_000);
  const { lines, changed } = changeFraction(rng, a, 0.1);
  return pair(a, lines, { note: `${changed} lines changed` });
}

function caseRewrite() {
  const a = moduleLines(new Rng(0x3003), 10_000);
  const b = moduleLines(new Rng(0x3b3b), 10_000);
  const common = new Set(a);
  const shared = b.filter((l) => common.has(l)).length;
  return pair(a, b, { note: `${shared} new lines also occur in the old text (\`}\`, blank, …)` });
}

function caseMove() {
  const rng = new Rng(0x5005);
  const blocks = moduleBlocks(rng, 2_000 - 61);
  const moved = [...functionLines(rng, 60), ''];
  // Put the 60-line function a quarter of the way in, then move it three
  // quarters of the way down: everything else is unchanged.
  const quarter = Math.floor(blocks.length / 4);
  const before = [...blocks.slice(0, quarter), moved, ...blocks.slice(quarter)];
  const withoutMoved = before.filter((b) => b !== moved);
  const threeQuarters = Math.floor((withoutMoved.length * 3) / 4);
  const after = [...withoutMoved.slice(0, threeQuarters), moved, ...withoutMoved.slice(threeQuarters)];
  return pair(before.flat(), after.flat());
}

/** `files` entries of 300–2,000 lines with 1–5 scattered edits each. */
export function buildBatch(files, seed) {
  const rng = new Rng(seed);
  return Array.from({ length: files }, (_, k) => {
    const a = moduleLines(rng, rng.int(300, 2_000));
    const b = scatteredEdits(rng, a, rng.int(1, 5));
    return { path: `src/pkg-${k % 17}/module-${k}.ts`, baseline: toText(a), proposed: toText(b) };
  });
}

/**
 * The single-file diff cases (kind 'diff'). `build()` returns
 * `{ path, a, b, note? }`; `heavy` marks cases where the jsdiff 5.2 reference
 * needs tens of seconds and runs once, in a child process with a time limit.
 */
export const DIFF_CASES = [
  { id: 'c1', title: '10k lines, 5 scattered edits', build: () => caseScattered(10_000, 5, 0x1001) },
  { id: 'c2', title: '10k lines, 10% of lines changed', build: caseTenPercent },
  { id: 'c3', title: '10k lines fully rewritten', build: caseRewrite, heavy: true },
  { id: 'c4', title: '100k lines, 20 edits', build: () => caseScattered(100_000, 20, 0x4004) },
  { id: 'c5', title: '2k lines, 60-line function moved', build: caseMove },
];

/**
 * A batch case (kind 'batch') of `files` files, id `batch-<files>`:
 * `build()` returns DiffEntry[]. The seed depends on the size only.
 */
export function batchCase(files) {
  const build = () => buildBatch(files, 0x7000 + files);
  return { id: `batch-${files}`, title: `batch of ${files} files`, files, build };
}

/** The case descriptor for an id (`c1`..`c5`, `batch-<n>`), or throws. */
export function caseById(id) {
  const found = DIFF_CASES.find((c) => c.id === id);
  if (found) return found;
  const batch = /^batch-(\d+)$/.exec(id);
  if (batch) return batchCase(Number(batch[1]));
  throw new Error(`unknown case '${id}' (known: ${DIFF_CASES.map((c) => c.id).join(', ')}, batch-<files>)`);
}

/** Builds a case's inputs once per process. */
const built = new Map();
export function inputsOf(id) {
  if (!built.has(id)) built.set(id, caseById(id).build());
  return built.get(id);
}
