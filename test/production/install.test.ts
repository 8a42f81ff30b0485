/**
 * A production install (`npm ci --omit=dev` on a built tree) runs what it ships: building is a step of its own
 * (no install-time script needs a devDependency), the package ships what the runtime reads, and every module
 * the built code loads is a dependency, not a devDependency. Reads dist/: build first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_JSON, ROOT, stageApp } from '../support/index.js';

const pkg = PACKAGE_JSON;

/** Only the demo (`start`, run from a development install) may load a devDependency: the Agents Playground. */
const DEMO_ONLY = { '@microsoft/m365agentsplayground': 'dist/src/demo/playground.js' };

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? jsFiles(path) : entry.name.endsWith('.js') ? [path] : [];
  });
}

/** The package a bare specifier names (`@azure/identity`, `botbuilder`), or null for a relative path or a builtin. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every module the built file loads: static and dynamic imports, require() and require.resolve(). */
function loadedBy(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const patterns = [
    /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*'([^']+)'/gm,
    /^\s*import\s*'([^']+)'/gm,
    /\bimport\(\s*'([^']+)'\s*\)/g,
    /\brequire(?:\.resolve)?\(\s*'([^']+)'\s*\)/g,
  ];
  const specifier = /^(?:\.{1,2}\/|node:)?[@\w][\w@./-]*$/;
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1]!)).filter((s) => specifier.test(s));
}

describe('the production install', () => {
  it('builds as a step of its own: no install-time script (prepare, install, postinstall) that would need the compiler', () => {
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts[script], script).toBeUndefined();
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.json');
    // The quick start (`npm ci && npm start`) builds before it runs, and so does `npm test`.
    expect(pkg.scripts.start).toMatch(/^tsc -p tsconfig\.json && node dist\/src\/cli\.js start$/);
    expect(pkg.scripts.test).toMatch(/^tsc -p tsconfig\.json && /);
  });

  it('ships what the runtime reads: the built code, the card templates, the Teams app package, the demo seed and the vendored stub', () => {
    const listed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const paths = new Set(listed[0].files.map((f) => f.path));
    expect(existsSync(join(ROOT, 'dist', 'src', 'cli.js')), 'dist/src/cli.js is missing: npm run build').toBe(true);
    for (const file of jsFiles(join(ROOT, 'dist', 'src'))) expect(paths, relative(ROOT, file)).toContain(relative(ROOT, file));
    for (const dir of ['cards', 'appPackage', 'vendor/spdy-unused']) {
      for (const name of readdirSync(join(ROOT, dir))) expect(paths, `${dir}/${name}`).toContain(`${dir}/${name}`);
    }
    expect(paths).toContain('seeds/demo.json');
    expect(paths).toContain(pkg.bin['apim-vnet-bot']);
    // Nothing of the development tree: sources, tests, the bench.
    expect([...paths].filter((p) => /^(src|test|bench|dist\/bench|scripts)\//.test(p))).toEqual([]);
  });

  it('npm run stage copies exactly what the package ships, plus what npm ci needs to install its dependencies', () => {
    const out = mkdtempSync(join(tmpdir(), 'apim-bot-stage-'));
    try {
      stageApp(out, { install: false });
      const listed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as [{ files: { path: string }[] }];
      const staged = (dir: string, prefix = ''): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? staged(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
      // npm pack adds the README; npm ci needs the lock file and .npmrc.
      expect(staged(out).sort()).toEqual([...listed[0].files.map((f) => f.path).filter((p) => p !== 'README.md'), 'package-lock.json', '.npmrc'].sort());
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every module the built code loads is a dependency (the Playground of the demo excepted)', () => {
    const dependencies = new Set(Object.keys(pkg.dependencies));
    const devOnly: Record<string, string[]> = {};
    for (const file of jsFiles(join(ROOT, 'dist', 'src'))) {
      for (const specifier of loadedBy(file)) {
        const name = packageOf(specifier);
        if (name === null || dependencies.has(name)) continue;
        (devOnly[name] ??= []).push(relative(ROOT, file));
      }
    }
    expect(devOnly).toEqual(Object.fromEntries(Object.entries(DEMO_ONLY).map(([name, file]) => [name, [file]])));
    for (const name of Object.keys(DEMO_ONLY)) expect(pkg.devDependencies[name], name).toBeDefined();
  });

  it('serve loads no devDependency: the static imports of its composition root (dist/src/main.js) reach only dependencies', () => {
    const dependencies = new Set(Object.keys(pkg.dependencies));
    const seen = new Set<string>();
    const outside: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      // Static imports only: what loading the module loads. Dynamic imports are followed too, but not demo/'s.
      for (const specifier of loadedBy(file)) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (!code.includes(`import('${specifier}')`) || !target.includes(`${join('dist', 'src', 'demo')}`)) visit(target);
          continue;
        }
        const name = packageOf(specifier);
        if (name !== null && !dependencies.has(name)) outside.push(`${relative(ROOT, file)}: ${name}`);
      }
    };
    visit(join(ROOT, 'dist', 'src', 'main.js'));
    expect(seen.size).toBeGreaterThan(50);
    expect([...seen].map((f) => relative(ROOT, f)).filter((f) => f.startsWith('dist/src/demo/'))).toEqual([]);
    expect(outside).toEqual([]);
  });
});
