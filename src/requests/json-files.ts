/** JSON documents on disk: atomic replace (temp file + rename) and exclusive create. */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function writeTemp(path: string, value: unknown): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(value, null, 2) + '\n', 'utf8');
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

/** Every `*.json` document in a folder (none when the folder does not exist yet). */
export async function readAllJson<T>(folder: string): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const docs = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readJson<T>(join(folder, n))));
  return docs.filter((d): d is Awaited<T> & T => d !== null);
}

/** A file name from an id, refusing anything that could leave the folder. */
export function safeFileName(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) || id.includes('..')) throw new Error(`Not a storable id: ${JSON.stringify(id)}`);
  return `${id}.json`;
}
