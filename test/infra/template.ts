/** infra/azure.json read for the tests: its resources, nested templates, app settings and role grants. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEMPLATE_FILE = join(ROOT, 'infra', 'azure.json');

export interface Parameter {
  type: string;
  defaultValue?: unknown;
  allowedValues?: unknown[];
  metadata?: { description?: string };
}

export interface Resource {
  type: string;
  apiVersion: string;
  name: string;
  condition?: string;
  copy?: { name: string; count: string };
  dependsOn?: string[];
  subscriptionId?: string;
  resourceGroup?: string;
  location?: string;
  scope?: string;
  properties?: Record<string, unknown> & {
    template?: Template;
    parameters?: Record<string, { value: unknown }>;
    expressionEvaluationOptions?: { scope: string };
  };
  [key: string]: unknown;
}

export interface Template {
  $schema: string;
  contentVersion: string;
  parameters?: Record<string, Parameter>;
  variables?: Record<string, unknown> & { copy?: { name: string; count: string; input: unknown }[] };
  resources: Resource[];
  outputs?: Record<string, { type: string; value: unknown }>;
}

export const template = (): Template => JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')) as Template;

export function resourcesOfType(t: Template, type: string): Resource[] {
  return t.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

export function only(t: Template, type: string): Resource {
  const found = resourcesOfType(t, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

export function nestedByName(t: Template, name: string): Resource {
  const found = resourcesOfType(t, 'Microsoft.Resources/deployments').find((r) => r.name === name);
  if (!found) throw new Error(`no nested deployment ${name}`);
  return found;
}

/** The web app's settings, name -> value (an expression or a literal). */
export function appSettings(t: Template): Map<string, string> {
  const site = only(t, 'Microsoft.Web/sites');
  const settings = (site.properties?.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings;
  return new Map(settings.map((s) => [s.name, s.value]));
}

/** Every string in a JSON value, with its path. */
export function strings(node: unknown, path = '$'): { path: string; value: string }[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => [...strings(k, `${path}.<key>`), ...strings(v, `${path}.${k}`)]);
  return [];
}

/** A template expression: a string in [ ] that does not start with [[ (an escaped literal). */
export const isExpression = (value: string) => value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[');
