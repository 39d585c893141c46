#!/usr/bin/env node
/**
 * A corpus of real edits: two published versions of a few npm packages,
 * fetched with `npm pack` into the git-ignored `benchmark/.corpus-cache/`,
 * extracted with `tar`, and paired file by file (text files only).
 *
 *   node benchmark/corpus.mjs        fetch (when not cached) and print a summary
 *
 *   import { loadCorpus } from './benchmark/corpus.mjs';
 *   const pairs = await loadCorpus({ maxPairs: 500, maxBytes: 1 << 20 });
 *   // [{ name, path, before, after }], before null when the file is new,
 *   // after null when it was removed
 *
 * Idempotent: a version whose extraction finished is never fetched again.
 * When `npm pack` fails (offline, unknown version) the script exits with code 2.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR = fileURLToPath(new URL('./.corpus-cache/', import.meta.url));

/** Package versions to compare, older first. */
export const PACKAGES = [
  { name: 'lodash', from: '4.17.20', to: '4.17.21' },
  { name: 'react-dom', from: '18.2.0', to: '18.3.1' },
  { name: 'typescript', from: '5.4.5', to: '5.5.4' },
];

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const COMPLETE_MARKER = '.corpus-complete';

export class CorpusFetchError extends Error {
  constructor(spec, cause) {
    super(`could not fetch ${spec} with npm pack: ${cause}`);
    this.name = 'CorpusFetchError';
  }
}

function versionDir(name, version) {
  return join(CACHE_DIR, `${name.replace('/', '__')}@${version}`);
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Fetch and extract one package version unless the cache already holds it. */
function ensureVersion(name, version, log) {
  const dir = versionDir(name, version);
  if (existsSync(join(dir, COMPLETE_MARKER))) return dir;
  const spec = `${name}@${version}`;
  const tarballs = join(CACHE_DIR, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  log(`fetching ${spec} …`);
  let filename;
  try {
    const out = run('npm', ['pack', spec, '--json', '--pack-destination', tarballs]);
    filename = JSON.parse(out.slice(out.indexOf('[')))[0].filename;
  } catch (error) {
    const detail = String(error.stderr || error.message || error)
      .split('\n')
      .filter((l) => l && !l.includes('Unknown user config'))
      .slice(0, 3)
      .join(' ');
    throw new CorpusFetchError(spec, detail);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', join(tarballs, filename), '-C', dir, '--strip-components=1']);
  writeFileSync(join(dir, COMPLETE_MARKER), `${spec}\n`);
  return dir;
}

/** Fetch every package version (when not cached). Returns their directories. */
export function ensureCorpus({ packages = PACKAGES, log = () => {} } = {}) {
  mkdirSync(CACHE_DIR, { recursive: true });
  return packages.map((pkg) => ({
    ...pkg,
    fromDir: ensureVersion(pkg.name, pkg.from, log),
    toDir: ensureVersion(pkg.name, pkg.to, log),
  }));
}

function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name !== COMPLETE_MARKER) out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** File text, or a reason it is not usable: 'missing' | 'large' | 'binary'. */
function readText(root, path, maxBytes) {
  const full = join(root, path);
  if (!existsSync(full)) return { kind: 'missing' };
  if (statSync(full).size > maxBytes) return { kind: 'large' };
  const bytes = readFileSync(full);
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: utf8.decode(bytes) };
  } catch {
    return { kind: 'binary' };
  }
}

/**
 * Pair the files of each package's two versions by relative path.
 * Options: maxPairs (default all), maxBytes per file (default 5 MB),
 * packages (default PACKAGES). Fetches what is not cached yet.
 */
export async function loadCorpus({ maxPairs = Number.POSITIVE_INFINITY, maxBytes = DEFAULT_MAX_BYTES, packages = PACKAGES } = {}) {
  const versions = ensureCorpus({ packages });
  const pairs = [];
  for (const pkg of versions) {
    const paths = [...new Set([...listFiles(pkg.fromDir), ...listFiles(pkg.toDir)])].sort();
    for (const path of paths) {
      if (pairs.length >= maxPairs) return pairs;
      const before = readText(pkg.fromDir, path, maxBytes);
      const after = readText(pkg.toDir, path, maxBytes);
      const usable = (f) => f.kind === 'text' || f.kind === 'missing';
      if (!usable(before) || !usable(after)) continue;
      pairs.push({
        name: `${pkg.name}@${pkg.from}..${pkg.to}`,
        path,
        before: before.kind === 'text' ? before.text : null,
        after: after.kind === 'text' ? after.text : null,
      });
    }
  }
  return pairs;
}

async function main() {
  const started = Date.now();
  try {
    ensureCorpus({ log: (m) => console.log(m) });
  } catch (error) {
    if (error instanceof CorpusFetchError) {
      console.error(`corpus: ${error.message}`);
      console.error('corpus: the package registry must be reachable the first time (the cache is reused after).');
      process.exit(2);
    }
    throw error;
  }
  const pairs = await loadCorpus();
  const byName = new Map();
  for (const p of pairs) {
    const s = byName.get(p.name) ?? { pairs: 0, changed: 0, created: 0, deleted: 0, bytes: 0 };
    s.pairs++;
    if (p.before === null) s.created++;
    else if (p.after === null) s.deleted++;
    else if (p.before !== p.after) s.changed++;
    s.bytes += (p.before?.length ?? 0) + (p.after?.length ?? 0);
    byName.set(p.name, s);
  }
  console.log(`corpus in ${relative(process.cwd(), CACHE_DIR) || CACHE_DIR}`);
  for (const [name, s] of byName) {
    console.log(
      `  ${name}: ${s.pairs} text pairs (${s.changed} changed, ${s.created} new, ${s.deleted} removed), ` +
        `${(s.bytes / 1024 / 1024).toFixed(1)} MiB of text`,
    );
  }
  console.log(`  total: ${pairs.length} pairs, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
