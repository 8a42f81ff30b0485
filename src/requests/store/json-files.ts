/** JSON documents on disk: atomic replace (temp file + rename) and exclusive create. */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

/** Writes the whole document to a new temporary file next to `path` and flushes it to disk. */
async function writeTemp(path: string, value: unknown): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}${TEMP_SUFFIX}`;
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(JSON.stringify(value, null, 2) + '\n', 'utf8');
    // Without this a power cut after the rename could leave an empty file under the real name.
    await file.datasync();
  } finally {
    await file.close();
  }
  return temp;
}

/** Replaces the file in one step: readers see the old document or the new one, never half of it. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temp = await writeTemp(path, value);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Creates the file only if it does not exist (a hard link fails on an existing name); false when it does. */
export async function createJsonExclusive(path: string, value: unknown): Promise<boolean> {
  const temp = await writeTemp(path, value);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Removes temporary files a killed process left behind (never read as documents, but they take space). */
export async function removeTempFiles(folder: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return 0;
  }
  const temps = names.filter((n) => n.endsWith(TEMP_SUFFIX));
  await Promise.all(temps.map((n) => unlink(join(folder, n)).catch(() => undefined)));
  return temps.length;
}

/** A file name from an id, refusing anything that could leave the folder. */
export function safeFileName(id: string): string {
  if (!isStorableId(id)) throw new Error(`Not a storable id: ${JSON.stringify(id)}`);
  return `${id}.json`;
}

export function isStorableId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) && !id.includes('..');
}
