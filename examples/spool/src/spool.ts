// A filesystem spool in the manner of executor-spool: edits are staged in
// memory against a snapshot of each file taken when it is first touched,
// described as FilePatches, checked against the disk, and written only by
// commit(). All diffing goes through @cortex-os/patchkit-native with one
// DiffCache per session, so the same (before, after) pair is diffed once no
// matter how often write(), diff(), validate() and commit() ask for it.
import {
  DiffCache,
  applyPatch,
  applyPatchAsync,
  createDiffAsync,
  createDiffs,
  type CacheStats,
  type FilePatch,
} from '@cortex-os/patchkit-native';
import path from 'node:path';
import { locate, readIfExists, removeFile, writeAtomically } from './files.js';

/** A touched file: its content when first touched (`null`: absent) and now. */
interface Entry {
  absolute: string;
  before: string | null;
  after: string | null;
}

/** A staged file whose patch no longer fits what is on disk. */
export interface SpoolConflict {
  path: string;
  reason: string;
}

export interface Validation {
  ok: boolean;
  conflicts: SpoolConflict[];
}

/** What commit() would do to a file: write `content`, remove it (`null`), or nothing (conflict). */
type Outcome = { content: string | null } | { conflict: string };

/** A changed file as validate() and commit() see it. */
interface Staged {
  patch: FilePatch;
  absolute: string;
  outcome: Outcome;
}

export class FileSpool {
  readonly root: string;
  #entries = new Map<string, Entry>();
  #cache = new DiffCache();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Counters of this session's DiffCache (a new one after commit() or reset()). */
  cacheStats(): CacheStats {
    return this.#cache.stats();
  }

  async write(file: string, content: string): Promise<FilePatch> {
    const [key, entry] = await this.#touch(file);
    entry.after = content;
    return this.#diffOne(key, entry);
  }

  /** Replaces the first match (every match with `all`); a string matches literally. */
  async replace(file: string, match: string | RegExp, replacement: string, all = false): Promise<FilePatch> {
    const [key, entry] = await this.#touch(file);
    if (entry.after === null) throw new Error(`Cannot replace in ${key}: no such file`);
    entry.after = replaceText(entry.after, match, replacement, all);
    return this.#diffOne(key, entry);
  }

  /** Applies unified diff text to the file's current content. */
  async patch(file: string, diffText: string): Promise<FilePatch> {
    const [key, entry] = await this.#touch(file);
    entry.after = applyOrThrow(key, entry.after, diffText);
    return this.#diffOne(key, entry);
  }

  async delete(file: string): Promise<FilePatch> {
    const [key, entry] = await this.#touch(file);
    entry.after = null;
    return this.#diffOne(key, entry);
  }

  /** The staged content of a touched file, otherwise what is on disk (`null`: absent). */
  async read(file: string): Promise<string | null> {
    const { relative, absolute } = locate(this.root, file);
    const entry = this.#entries.get(relative);
    return entry === undefined ? readIfExists(absolute) : entry.after;
  }

  /** FilePatches of every changed file, sorted by path. */
  async diff(): Promise<FilePatch[]> {
    return this.#diffAll(this.#changed());
  }

  /** Checks that each staged patch still fits the file on disk. */
  async validate(): Promise<Validation> {
    const conflicts = conflictsOf(await this.#check());
    return { ok: conflicts.length === 0, conflicts };
  }

  /**
   * Writes every changed file (atomically) or removes it, returns the
   * session's FilePatches and starts a new session. Throws, writing nothing,
   * when validate() would report a conflict.
   */
  async commit(): Promise<FilePatch[]> {
    const staged = await this.#check();
    const conflicts = conflictsOf(staged);
    if (conflicts.length > 0) {
      const list = conflicts.map((c) => `${c.path}: ${c.reason}`).join('; ');
      throw new Error(`Cannot commit, files changed on disk: ${list}`);
    }
    for (const { absolute, outcome } of staged) {
      if (!('content' in outcome)) continue;
      await (outcome.content === null ? removeFile(absolute) : writeAtomically(absolute, outcome.content));
    }
    this.reset();
    return staged.map((s) => s.patch);
  }

  /** Drops every staged change and the session's cache; the disk is untouched. */
  reset(): void {
    this.#entries.clear();
    this.#cache = new DiffCache();
  }

  async #touch(file: string): Promise<[string, Entry]> {
    const { relative, absolute } = locate(this.root, file);
    let entry = this.#entries.get(relative);
    if (entry === undefined) {
      const before = await readIfExists(absolute);
      // A concurrent call may have touched the file while this one read it.
      entry = this.#entries.get(relative) ?? { absolute, before, after: before };
      this.#entries.set(relative, entry);
    }
    return [relative, entry];
  }

  #diffOne(key: string, entry: Entry): Promise<FilePatch> {
    return createDiffAsync(key, entry.before, entry.after, { cache: this.#cache });
  }

  /** One batch call for all files; results come back in input order. */
  #diffAll(changed: [string, Entry][]): Promise<FilePatch[]> {
    const batch = changed.map(([key, e]) => ({ path: key, baseline: e.before, proposed: e.after }));
    return createDiffs(batch, { cache: this.#cache });
  }

  /** Touched files whose content changed, sorted by path (code unit order, as a history store wants). */
  #changed(): [string, Entry][] {
    return [...this.#entries]
      .filter(([, e]) => e.before !== e.after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async #check(): Promise<Staged[]> {
    const changed = this.#changed();
    const patches = await this.#diffAll(changed);
    return Promise.all(
      changed.map(async ([, entry], i) => {
        const patch = patches[i]!;
        return { patch, absolute: entry.absolute, outcome: await rebase(entry, patch) };
      }),
    );
  }
}

function replaceText(text: string, match: string | RegExp, replacement: string, all: boolean): string {
  if (typeof match === 'string') {
    return all ? text.replaceAll(match, replacement) : text.replace(match, replacement);
  }
  const flags = match.flags.replace('g', '') + (all ? 'g' : '');
  return text.replace(new RegExp(match.source, flags), replacement);
}

/** `applyPatch`, with executor-spool's error on a conflict (the native error as its `cause`). */
function applyOrThrow(key: string, current: string | null, diffText: string): string {
  try {
    return applyPatch(current, diffText);
  } catch (error) {
    if (codeOf(error) === 'PATCH_CONFLICT') throw new Error(`Conflicting patch for ${key}`, { cause: error });
    throw error;
  }
}

/**
 * What committing `entry` means now. Unchanged on disk since it was first
 * touched: write the staged content. Edited on disk meanwhile: apply the
 * spool's patch to the disk's version, keeping both edits, or report a
 * conflict when it does not fit. Created, removed or deleted on either side
 * meanwhile: a conflict.
 */
async function rebase(entry: Entry, patch: FilePatch): Promise<Outcome> {
  const disk = await readIfExists(entry.absolute);
  if (disk === entry.before) return { content: entry.after };
  if (disk === null || entry.before === null || entry.after === null) {
    return { conflict: `${disk === null ? 'removed' : 'changed'} on disk since the spool read it` };
  }
  try {
    return { content: await applyPatchAsync(disk, patch) };
  } catch (error) {
    if (codeOf(error) === 'PATCH_CONFLICT') return { conflict: (error as Error).message };
    throw error;
  }
}

function conflictsOf(staged: Staged[]): SpoolConflict[] {
  return staged.flatMap(({ patch, outcome }) =>
    'conflict' in outcome ? [{ path: patch.path, reason: outcome.conflict }] : [],
  );
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
