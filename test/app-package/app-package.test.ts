/**
 * The Teams app package as `npm run package` builds it: the filled manifest is valid against the newest manifest
 * schema that @microsoft/app-manifest bundles (checked offline), the bot and its commands are there, the icons
 * are real PNGs of the right size with a transparent background, and the zip holds exactly the three files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils, TeamsManifestConverter } from '@microsoft/app-manifest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodePng, pixel, readZip, type Png } from './read-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOT_ID = '3f1c2b9a-7d4e-4c8b-9a1f-2e6d5c4b3a21';
const TEAMS_APP_ID = '8c5e1d2f-4b3a-4e6d-9f8a-7b6c5d4e3f20';

function runPackage(env: Record<string, string>, out: string) {
  return spawnSync(process.execPath, ['scripts/package-app.mjs', '--out', out], {
    cwd: ROOT,
    env: { ...process.env, MicrosoftAppId: '', TEAMS_APP_ID: '', ...env },
    encoding: 'utf8',
  });
}

/** The newest `vX.Y` Teams schema folder bundled with @microsoft/app-manifest. */
function newestBundledSchema(): { version: string; file: string } {
  const require = createRequire(import.meta.url);
  const teams = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
  const versions = readdirSync(teams)
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => {
      const [a1 = 0, a2 = 0] = a.split('.').map(Number);
      const [b1 = 0, b2 = 0] = b.split('.').map(Number);
      return a1 - b1 || a2 - b2;
    });
  const version = versions.at(-1) ?? '';
  return { version, file: join(teams, `v${version}`, 'MicrosoftTeams.schema.json') };
}

describe('npm run package: the Teams app package', () => {
  let out: string;
  let manifestJson: string;
  let manifest: Record<string, any>;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'apim-app-package-'));
    const result = runPackage({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID, DEVELOPER_NAME: 'Contoso platform team' }, out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(join(out, 'apim-vnet-bot.zip'));
    manifestJson = readFileSync(join(out, 'appPackage', 'manifest.json'), 'utf8');
    manifest = JSON.parse(manifestJson) as Record<string, any>;
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('uses the newest manifest schema that @microsoft/app-manifest bundles', () => {
    const newest = newestBundledSchema();
    expect(manifest.manifestVersion).toBe(newest.version);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${newest.version}/MicrosoftTeams.schema.json`);
  });

  it('is valid against that schema, checked offline', async () => {
    const typed = TeamsManifestConverter.jsonToManifest(manifestJson);
    const schema = JSON.parse(readFileSync(newestBundledSchema().file, 'utf8'));
    expect(await AppManifestUtils.validateAgainstSchema(typed, schema)).toEqual([]);
    // Without a schema argument it resolves $schema to the bundled file: no network call may happen.
    const fetch = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('offline: no network in this test'));
    try {
      expect(await AppManifestUtils.validateAgainstSchema(typed)).toEqual([]);
      expect(fetch).not.toHaveBeenCalled();
    } finally {
      fetch.mockRestore();
    }
  });

  it('the schema catches a broken manifest (the check is real)', async () => {
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], botId: 'not-a-guid', scopes: ['everywhere'] }] };
    const schema = JSON.parse(readFileSync(newestBundledSchema().file, 'utf8'));
    const failures = await AppManifestUtils.validateAgainstSchema(broken as never, schema);
    expect(failures.join('\n')).toMatch(/botId/);
    expect(failures.join('\n')).toMatch(/scopes/);
  });

  it('fills ids and settings from the environment, leaving no placeholder', () => {
    expect(manifestJson).not.toContain('${{');
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.developer.name).toBe('Contoso platform team');
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('has the bot in personal, team and group chat scopes, with check, integrate, status and help and their hints', () => {
    const [bot] = manifest.bots;
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    const lists = bot.commandLists as { scopes: string[]; commands: { title: string; description?: string }[] }[];
    for (const scope of ['personal', 'team', 'groupChat']) {
      const commands = lists.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands);
      expect(commands.map((c) => c.title)).toEqual(expect.arrayContaining(['check', 'integrate', 'status', 'help']));
      for (const command of commands) expect(command.description?.length ?? 0).toBeGreaterThan(10);
    }
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  describe('icons', () => {
    const corners = (png: Png) => [pixel(png, 0, 0), pixel(png, png.width - 1, 0), pixel(png, 0, png.height - 1), pixel(png, png.width - 1, png.height - 1)];

    it('color.png: 192x192 RGBA, a transparent background, a coloured glyph', () => {
      const png = decodePng(readFileSync(join(ROOT, 'appPackage', 'color.png')));
      expect([png.width, png.height, png.colorType]).toEqual([192, 192, 6]);
      for (const [, , , alpha] of corners(png)) expect(alpha).toBe(0);
      const [r, g, b, a] = pixel(png, 40, 60);
      expect(a).toBe(255);
      expect(r === g && g === b).toBe(false);
    });

    it('outline.png: 32x32 RGBA, transparent background, white only', () => {
      const png = decodePng(readFileSync(join(ROOT, 'appPackage', 'outline.png')));
      expect([png.width, png.height, png.colorType]).toEqual([32, 32, 6]);
      for (const [, , , alpha] of corners(png)) expect(alpha).toBe(0);
      let opaque = 0;
      let transparent = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const [r, g, b, a] = pixel(png, x, y);
          if (a === 0) transparent++;
          else {
            opaque++;
            expect([r, g, b]).toEqual([255, 255, 255]);
          }
        }
      }
      expect(opaque).toBeGreaterThan(100);
      expect(transparent).toBeGreaterThan(300);
    });
  });

  it('the zip holds manifest.json and the two icons at its root, identical to the staged files', () => {
    const entries = readZip(readFileSync(join(out, 'apim-vnet-bot.zip')));
    expect(entries.map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    for (const entry of entries) expect(entry.data.equals(readFileSync(join(out, 'appPackage', entry.name)))).toBe(true);
    const icon = entries.find((e) => e.name === 'color.png');
    expect(icon?.data.equals(readFileSync(join(ROOT, 'appPackage', 'color.png')))).toBe(true);
  });

  it('the same inputs make the same zip', () => {
    const again = mkdtempSync(join(tmpdir(), 'apim-app-package-'));
    try {
      expect(runPackage({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID, DEVELOPER_NAME: 'Contoso platform team' }, again).status).toBe(0);
      expect(readFileSync(join(again, 'apim-vnet-bot.zip')).equals(readFileSync(join(out, 'apim-vnet-bot.zip')))).toBe(true);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('refuses to build without the bot id, and says which variable', () => {
    const empty = mkdtempSync(join(tmpdir(), 'apim-app-package-'));
    try {
      const result = runPackage({}, empty);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/MicrosoftAppId is not set/);
      expect(readdirSync(empty)).toEqual([]);
      const bad = runPackage({ MicrosoftAppId: 'my-bot' }, empty);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/MicrosoftAppId=my-bot is not a GUID/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
