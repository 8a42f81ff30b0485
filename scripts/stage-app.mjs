#!/usr/bin/env node
/**
 * `npm run stage`: the production tree of the bot, what App Service (m365agents.yml's deploy) and the container
 * image run. Copies what package.json's "files" ship (the built dist/src, cards, appPackage, seeds, the vendored
 * stub) with package.json, package-lock.json and .npmrc into build/app, then installs the production
 * dependencies there (`npm ci --omit=dev`; its install scripts run as in development). Build first (`npm run build`).
 *
 *   node scripts/stage-app.mjs [--out <dir>] [--no-install]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** Beside "files": what `npm ci` needs to install the same dependencies. */
export const INSTALL_FILES = ['package.json', 'package-lock.json', '.npmrc'];

function fail(message) {
  process.stderr.write(`stage: ${message}\n`);
  process.exit(1);
}

const argv = process.argv.slice(2);
let out = join(ROOT, 'build', 'app');
let install = true;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i]);
  else if (argv[i] === '--no-install') install = false;
  else fail(`unknown argument ${argv[i]}. Usage: node scripts/stage-app.mjs [--out <dir>] [--no-install]`);
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
if (!existsSync(join(ROOT, pkg.bin['apim-vnet-bot']))) fail(`${pkg.bin['apim-vnet-bot']} is missing: run npm run build first.`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const entry of [...pkg.files, ...INSTALL_FILES]) {
  const from = join(ROOT, entry);
  if (!existsSync(from)) fail(`${entry} is missing.`);
  cpSync(from, join(out, entry), { recursive: true });
}
if (install) execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, stdio: 'inherit' });
process.stdout.write(`staged ${out}${install ? ' with its production dependencies' : ''}\n`);
