#!/usr/bin/env node
/**
 * `npm run package`: the Teams app package. Fills the placeholders of appPackage/manifest.json from the
 * environment (and from .env when there is one; the environment wins), validates the result offline against the
 * manifest schema bundled with @microsoft/app-manifest, and writes
 *
 *   build/appPackage/manifest.json, color.png, outline.png   (what goes into the zip, for a look)
 *   build/apim-vnet-bot.zip                                  (upload this to Teams)
 *
 * The zip holds the three files at its root, deflated (node:zlib), with a fixed date so that the same inputs
 * make the same bytes.
 *
 *   node scripts/package-app.mjs [--out <dir>]     (default: build/)
 *
 * Placeholders: ${{NAME}}. MicrosoftAppId (the Azure Bot's app id; BOT_ID, the output of infra/azure.json, when it is
 * unset) is required; the others have defaults:
 * TEAMS_APP_ID (MicrosoftAppId), APP_VERSION (package.json's), DEVELOPER_NAME, DEVELOPER_WEBSITE_URL,
 * DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'appPackage');
const FILES = ['manifest.json', 'color.png', 'outline.png'];
const ICON_SIZES = { 'color.png': 192, 'outline.png': 32 };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

function args(argv) {
  const out = { dir: join(ROOT, 'build') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out.dir = resolve(argv[++i]);
    else fail(`unknown argument ${argv[i]}. Usage: node scripts/package-app.mjs [--out <dir>]`);
  }
  return out;
}

/** The environment, with .env underneath it when the file exists. */
function environment() {
  const env = { ...process.env };
  const file = join(ROOT, '.env');
  if (existsSync(file) && typeof process.loadEnvFile === 'function') {
    const before = { ...process.env };
    process.loadEnvFile(file);
    for (const [key, value] of Object.entries(process.env)) if (!(key in before) && value !== undefined) env[key] = value;
  }
  return env;
}

function values(env) {
  const read = (name) => env[name]?.trim() || '';
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const problems = [];
  const defaulted = [];
  // BOT_ID: the same id as infra/azure.json's output, when m365agents.yml runs this after provisioning.
  const appId = read('MicrosoftAppId') || read('BOT_ID');
  if (!appId) problems.push('MicrosoftAppId is not set (nor BOT_ID, the deployment\'s output): the app (client) id of the Azure Bot registration, a GUID.');
  else if (!GUID.test(appId)) problems.push(`MicrosoftAppId=${appId} is not a GUID.`);
  const teamsAppId = read('TEAMS_APP_ID') || appId;
  if (read('TEAMS_APP_ID') && !GUID.test(teamsAppId)) problems.push(`TEAMS_APP_ID=${teamsAppId} is not a GUID.`);
  const withDefault = (name, fallback) => {
    const value = read(name);
    if (value) return value;
    defaulted.push(name);
    return fallback;
  };
  const result = {
    MicrosoftAppId: appId,
    TEAMS_APP_ID: teamsAppId,
    APP_VERSION: read('APP_VERSION') || version,
    DEVELOPER_NAME: withDefault('DEVELOPER_NAME', 'Platform team'),
    DEVELOPER_WEBSITE_URL: withDefault('DEVELOPER_WEBSITE_URL', 'https://www.example.com/apim-vnet-bot'),
    DEVELOPER_PRIVACY_URL: withDefault('DEVELOPER_PRIVACY_URL', 'https://www.example.com/apim-vnet-bot/privacy'),
    DEVELOPER_TERMS_URL: withDefault('DEVELOPER_TERMS_URL', 'https://www.example.com/apim-vnet-bot/terms'),
  };
  if (problems.length > 0) fail(`cannot fill appPackage/manifest.json:\n- ${problems.join('\n- ')}`);
  return { values: result, defaulted };
}

/** Replaces ${{NAME}} in every string of the manifest (on the parsed JSON, so values are escaped correctly). */
function fill(node, vars, missing) {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (_, name) => {
      if (vars[name] === undefined) missing.add(name);
      return vars[name] ?? '';
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, vars, missing));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, vars, missing)]));
  return node;
}

/** Validates against the schema file bundled with @microsoft/app-manifest, without the network. */
async function validate(manifest) {
  const require = createRequire(import.meta.url);
  const { AppManifestUtils } = require('@microsoft/app-manifest');
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const version = /\/teams\/(v[\d.]+)\/MicrosoftTeams\.schema\.json$/.exec(manifest.$schema)?.[1];
  const schemaFile = version && join(packageDir, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  if (!schemaFile || !existsSync(schemaFile)) fail(`no bundled schema for ${manifest.$schema} in @microsoft/app-manifest.`);
  return AppManifestUtils.validateAgainstSchema(manifest, JSON.parse(readFileSync(schemaFile, 'utf8')));
}

function pngSize(bytes) {
  const signature = '89504e470d0a1a0a';
  if (bytes.subarray(0, 8).toString('hex') !== signature || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// 2024-01-01 00:00 in MS-DOS format: the same inputs give the same zip.
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/** The fields a zip entry's local and central headers share, from `at`: flags, deflate, time, date, CRC, sizes, name length. */
function writeEntryFields(header, at, { crc, compressed, size, nameLength }) {
  header.writeUInt16LE(0, at); // flags
  header.writeUInt16LE(8, at + 2); // deflate
  header.writeUInt16LE(DOS_TIME, at + 4);
  header.writeUInt16LE(DOS_DATE, at + 6);
  header.writeUInt32LE(crc, at + 8);
  header.writeUInt32LE(compressed, at + 12);
  header.writeUInt32LE(size, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

/** A zip archive of the given files (name -> bytes), deflated, all at the root. */
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    writeEntryFields(local, 6, { crc, compressed: compressed.length, size: data.length, nameLength: nameBytes.length });
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    writeEntryFields(central, 8, { crc, compressed: compressed.length, size: data.length, nameLength: nameBytes.length });
    // extra length, comment length, disk number, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function main() {
  const { dir } = args(process.argv.slice(2));
  const { values: vars, defaulted } = values(environment());
  const missing = new Set();
  const manifest = fill(JSON.parse(readFileSync(join(SOURCE, 'manifest.json'), 'utf8')), vars, missing);
  if (missing.size > 0) fail(`appPackage/manifest.json uses placeholders this script does not fill: ${[...missing].join(', ')}`);

  const failures = await validate(manifest);
  if (failures.length > 0) fail(`the filled manifest does not match its schema:\n- ${failures.join('\n- ')}`);

  const contents = new Map([['manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8')]]);
  for (const [icon, size] of Object.entries(ICON_SIZES)) {
    const bytes = readFileSync(join(SOURCE, icon));
    const actual = pngSize(bytes);
    if (!actual || actual.width !== size || actual.height !== size) fail(`appPackage/${icon} must be a ${size}x${size} PNG (node scripts/make-icons.mjs draws it).`);
    contents.set(icon, bytes);
  }

  const staging = join(dir, 'appPackage');
  mkdirSync(staging, { recursive: true });
  for (const name of FILES) writeFileSync(join(staging, name), contents.get(name));
  const zipFile = join(dir, 'apim-vnet-bot.zip');
  writeFileSync(zipFile, zip(FILES.map((name) => [name, contents.get(name)])));

  process.stdout.write(
    `Teams app package: ${zipFile}\n` +
      `  manifest ${manifest.manifestVersion}, app id ${manifest.id}, bot id ${vars.MicrosoftAppId}, version ${manifest.version}\n` +
      (defaulted.length > 0 ? `  defaults used for ${defaulted.join(', ')}: set them for a package you publish.\n` : ''),
  );
}

await main();
