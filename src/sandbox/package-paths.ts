/** Where the package's own files are, from src/ and from dist/src/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, found by walking up from this module (works from src/ and dist/src/). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find package.json above ${from}`);
    dir = parent;
  }
}

export function defaultSeedPath(): string {
  return join(packageRoot(), 'seeds', 'demo.json');
}
