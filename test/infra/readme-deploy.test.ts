/**
 * The README's deploy section asks for exactly what the template cannot know: its parameters without a default,
 * each with the env/.env.dev name that infra/azure.parameters.json reads it from. The lifecycle file runs this
 * template and this parameters file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, template } from './template.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const deploy = readme.slice(readme.indexOf('\n## Deploying to Azure\n'), readme.indexOf('\n## ', readme.indexOf('\n## Deploying to Azure\n') + 1));
/** Rows of the "What you choose" table: parameter -> env/.env.dev name. */
const asked = new Map([...deploy.matchAll(/^\| `([A-Za-z]+)` \| `([A-Z_]+)` \|/gm)].map((m) => [m[1]!, m[2]!]));
const parametersFile = readFileSync(join(ROOT, 'infra', 'azure.parameters.json'), 'utf8');
const envFile = readFileSync(join(ROOT, 'env', '.env.dev'), 'utf8');
const lifecycle = readFileSync(join(ROOT, 'm365agents.yml'), 'utf8');

describe('the README deploy section', () => {
  const t = template();
  const required = Object.entries(t.parameters ?? {}).filter(([, p]) => p.defaultValue === undefined).map(([name]) => name);

  it('asks for exactly the parameters without a default', () => {
    expect(required.length).toBeGreaterThan(0);
    expect([...asked.keys()].sort()).toEqual([...required].sort());
  });

  it('names, for each, the env/.env.dev setting that infra/azure.parameters.json passes to it', () => {
    // The toolkit fills ${{NAME}} from the environment file, then parses the file: fill it the same way.
    const filled = parametersFile.replace(/\$\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
      const value = new RegExp(`^${name}=(.*)$`, 'm').exec(envFile)?.[1];
      if (value === undefined) throw new Error(`${name} is not in env/.env.dev`);
      return value === '' ? '' : value;
    });
    const parameters = (JSON.parse(filled.replace(/"value": ""/g, '"value": "x"')) as { parameters: Record<string, { value: unknown }> }).parameters;
    expect(Object.keys(parameters).sort()).toEqual([...required].sort());
    for (const [parameter, env] of asked) {
      expect(parametersFile, parameter).toMatch(new RegExp(`"${parameter}": \\{\\s*"value": "?\\$\\{\\{${env}\\}\\}"?`));
      expect(envFile, env).toMatch(new RegExp(`^${env}=`, 'm'));
      const type = t.parameters![parameter]!.type;
      if (type === 'array') expect(Array.isArray(parameters[parameter]!.value), `${env} holds a JSON array`).toBe(true);
      else expect(typeof parameters[parameter]!.value, env).toBe(type);
    }
    for (const where of ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME']) {
      expect(deploy).toContain(`\`${where}\``);
      expect(envFile).toMatch(new RegExp(`^${where}=`, 'm'));
    }
  });

  it('names every default it says can be changed, and only parameters that exist', () => {
    const optional = Object.entries(t.parameters ?? {}).filter(([, p]) => p.defaultValue !== undefined).map(([name]) => name);
    for (const name of optional) expect(deploy, name).toContain(`\`${name}\``);
  });

  it('is what m365agents.yml runs: this template and this parameters file, then the package, the build, the staged tree', () => {
    expect(lifecycle).toMatch(/- uses: arm\/deploy[\s\S]*path: \.\/infra\/azure\.json\s+parameters: \.\/infra\/azure\.parameters\.json/);
    expect(lifecycle).toMatch(/args: run package/);
    expect(lifecycle).toMatch(/args: run stage[\s\S]*- uses: azureAppService\/zipDeploy\s+with:\s+artifactFolder: build\/app\s+resourceId: \$\{\{BOT_AZURE_APP_SERVICE_RESOURCE_ID\}\}/);
    // What the lifecycle reads from provisioning is an output of the template.
    for (const name of [...lifecycle.matchAll(/\$\{\{(BOT_[A-Z_]+)\}\}/g)].map((m) => m[1]!)) expect(Object.keys(t.outputs ?? {}), name).toContain(name);
    expect(Object.keys(t.outputs ?? {})).toContain('BOT_ID');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const script of ['package', 'stage', 'build']) expect(pkg.scripts[script], script).toBeDefined();
  });
});
