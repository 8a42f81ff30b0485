/**
 * The production tree, made the way `npm run stage` makes it for App Service and the container image's build stage
 * makes it for the image: scripts/stage-app.mjs into a folder of the test's choosing. Needs dist/: build first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** The stage script, relative to the checkout (what `npm run stage` runs). */
export const STAGE_SCRIPT = 'scripts/stage-app.mjs';

/**
 * Stages the production tree into `out`: with `install`, `npm ci --omit=dev` inside it too (as deployed: about half a
 * minute); without, the files only. Returns what the script printed.
 */
export function stageApp(out: string, options: { install: boolean }): string {
  return execFileSync(process.execPath, [join(ROOT, STAGE_SCRIPT), '--out', out, ...(options.install ? [] : ['--no-install'])], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
