// Disk access for the spool: resolving paths under its root, reading a file
// that may be absent, and writing or removing files at commit time. Nothing
// here diffs; nothing here touches a file outside the root it is given.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** A file under the spool root: its key (relative, `/`-separated) and where it lives. */
export interface Location {
  relative: string;
  absolute: string;
}

/** Resolves `candidate` under `root`; refuses absolute paths and `..` escapes. */
export function locate(root: string, candidate: string): Location {
  if (candidate === '' || path.isAbsolute(candidate)) {
    throw new Error(`Spool paths must be relative to the spool root, got ${JSON.stringify(candidate)}`);
  }
  const absolute = path.resolve(root, candidate);
  const relative = path.relative(root, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new Error(`Path ${JSON.stringify(candidate)} escapes the spool root ${root}`);
  }
  return { relative: relative.split(path.sep).join('/'), absolute };
}

/** The file's text, or `null` when it does not exist. */
export async function readIfExists(absolute: string): Promise<string | null> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes `content` to a temporary file next to `absolute`, flushes it, then
 * renames it over `absolute`: readers (and a crash) see the old file or the
 * new one, never half of one. An existing file keeps its mode.
 */
export async function writeAtomically(absolute: string, content: string): Promise<void> {
  const dir = path.dirname(absolute);
  await mkdir(dir, { recursive: true });
  const previous = await stat(absolute).catch(() => null);
  const temp = path.join(dir, `.${path.basename(absolute)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      if (previous !== null) await handle.chmod(previous.mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, absolute);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Removes the file; an absent file is not an error. */
export async function removeFile(absolute: string): Promise<void> {
  await rm(absolute, { force: true });
}
