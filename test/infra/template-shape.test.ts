/**
 * infra/azure.json is a valid ARM deployment template: its shape, and every reference in it resolves (parameters,
 * variables, copy loops, dependsOn, the parameters handed to nested templates). Bicep cannot be compiled here, so
 * the JSON template is the one source and these checks stand in for `az deployment group validate`.
 */
import { describe, expect, it } from 'vitest';
import { isExpression, strings, template, type Resource, type Template } from './template.js';

const RG_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const SUB_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** Resources and their nested templates, each with the template whose parameters and variables it sees. */
function templates(t: Template, path = '$'): { path: string; template: Template }[] {
  const nested = t.resources
    .filter((r) => r.type === 'Microsoft.Resources/deployments' && r.properties?.template)
    .flatMap((r) => templates(r.properties!.template!, `${path}/${r.name}`));
  return [{ path, template: t }, ...nested];
}

/** Strings evaluated in `t`'s own scope: everything except the bodies of its inner-scope nested templates. */
function ownStrings(t: Template): { path: string; value: string }[] {
  const { resources, ...rest } = t;
  return [
    ...strings(rest),
    ...resources.flatMap((r, i) => {
      const { properties, ...head } = r;
      const { template: inner, ...props } = properties ?? {};
      if (inner && r.properties?.expressionEvaluationOptions?.scope !== 'inner') throw new Error(`${r.name}: nested templates must use the inner scope`);
      return [...strings(head, `$.resources[${i}]`), ...strings(props, `$.resources[${i}].properties`)];
    }),
  ];
}

const refs = (value: string, fn: string) => [...value.matchAll(new RegExp(`\\b${fn}\\('([^']+)'\\)`, 'g'))].map((m) => m[1]!);

describe('infra/azure.json', () => {
  const root = template();

  it('is a resource-group deployment template whose nested templates target resource groups or subscriptions', () => {
    expect(root.$schema).toBe(RG_SCHEMA);
    for (const { path, template: t } of templates(root)) {
      expect([RG_SCHEMA, SUB_SCHEMA], path).toContain(t.$schema);
      expect(t.contentVersion, path).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(Array.isArray(t.resources), path).toBe(true);
      for (const r of t.resources) {
        expect(r.type, `${path} ${r.name}`).toMatch(/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/);
        expect(r.apiVersion, `${path} ${r.type}`).toMatch(API_VERSION);
        expect(typeof r.name, `${path} ${r.type}`).toBe('string');
      }
      for (const [name, p] of Object.entries(t.parameters ?? {})) expect(['string', 'securestring', 'int', 'bool', 'array', 'object'], `${path} ${name}`).toContain(p.type);
    }
    // A subscription-scope nested deployment names its subscription and a location, and no resource group.
    for (const r of root.resources.filter((r) => r.properties?.template?.$schema === SUB_SCHEMA)) {
      expect(r.subscriptionId, r.name).toBeDefined();
      expect(r.location, r.name).toBeDefined();
      expect(r.resourceGroup, r.name).toBeUndefined();
    }
  });

  it('every parameters(), variables() and copyIndex() reference resolves in its own template, and every parameter is used', () => {
    for (const { path, template: t } of templates(root)) {
      const parameters = new Set(Object.keys(t.parameters ?? {}));
      const variables = new Set([...Object.keys(t.variables ?? {}).filter((k) => k !== 'copy'), ...(t.variables?.copy ?? []).map((c) => c.name)]);
      const loops = new Set([...t.resources.flatMap((r) => (r.copy ? [r.copy.name] : [])), ...(t.variables?.copy ?? []).map((c) => c.name)]);
      const used = new Set<string>();
      for (const { path: where, value } of ownStrings(t)) {
        if (!isExpression(value)) {
          expect(value, `${path} ${where}: an expression must be the whole string`).not.toMatch(/\b(parameters|variables|reference|resourceId)\(/);
          continue;
        }
        for (const name of refs(value, 'parameters')) {
          expect(parameters, `${path} ${where}: ${value}`).toContain(name);
          used.add(name);
        }
        for (const name of refs(value, 'variables')) expect(variables, `${path} ${where}: ${value}`).toContain(name);
        for (const name of refs(value, 'copyIndex')) expect(loops, `${path} ${where}: ${value}`).toContain(name);
        // Balanced brackets and parentheses, outside quoted strings.
        const bare = value.slice(1, -1).replace(/'(?:[^']|'')*'/g, "''");
        for (const [open, close] of [['(', ')'], ['[', ']']] as const) expect(bare.split(open).length, `${path} ${where}: ${value}`).toBe(bare.split(close).length);
      }
      expect([...parameters].filter((p) => !used.has(p)), `${path}: parameters nobody uses`).toEqual([]);
    }
  });

  it('hands each nested template exactly the parameters it declares (all without a default)', () => {
    for (const r of root.resources.filter((r) => r.properties?.template)) {
      const declared = r.properties!.template!.parameters ?? {};
      const passed = Object.keys(r.properties!.parameters ?? {});
      expect(passed.sort(), r.name).toEqual(Object.keys(declared).sort());
    }
  });

  it('every dependsOn names a resource of this template', () => {
    const variables = root.variables ?? {};
    const types = new Set(root.resources.map((r) => r.type.toLowerCase()));
    const names = new Set(root.resources.map((r) => r.name));
    const typeOf = (entry: string): string | null => {
      const variable = /^\[variables\('([^']+)'\)\]$/.exec(entry)?.[1];
      const expression = variable ? String(variables[variable]) : entry;
      return /resourceId\('([^']+)'/.exec(expression)?.[1]?.toLowerCase() ?? null;
    };
    const dependencies = root.resources.flatMap((r: Resource) => (r.dependsOn ?? []).map((d) => [r.name, d] as const));
    expect(dependencies.length).toBeGreaterThan(10);
    for (const [from, entry] of dependencies) {
      const type = typeOf(entry);
      if (type) expect(types, `${from} -> ${entry}`).toContain(type);
      else expect(names, `${from} -> ${entry}`).toContain(entry);
    }
  });
});
