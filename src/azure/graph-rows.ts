/**
 * A Resource Graph row of an API Management service, shaped like the SDK's ApiManagementServiceResource (the
 * properties flattened, as the SDK's model has them), so that to-facts.ts's instanceFacts maps both alike. Pure.
 */
import type { ApiManagementServiceResource } from '@azure/arm-apimanagement';

type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const object = (value: unknown): Row | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : undefined);

/** null when the row is not an object with a resource id (Resource Graph never sends one, but a proxy might). */
export function apimResourceOfRow(value: unknown): ApiManagementServiceResource | null {
  const row = object(value);
  const id = text(row?.['id']);
  if (!row || !id) return null;
  const properties = object(row['properties']) ?? {};
  const sku = object(row['sku']);
  const network = object(properties['virtualNetworkConfiguration']);
  const tags = object(row['tags']);
  const resource: ApiManagementServiceResource = {
    id,
    name: text(row['name']),
    type: text(row['type']),
    location: text(row['location']) ?? '',
    sku: { name: text(sku?.['name']) ?? '', capacity: typeof sku?.['capacity'] === 'number' ? sku['capacity'] : 0 },
    publisherEmail: text(properties['publisherEmail']) ?? '',
    publisherName: text(properties['publisherName']) ?? '',
    virtualNetworkType: text(properties['virtualNetworkType']),
    provisioningState: text(properties['provisioningState']),
  } as ApiManagementServiceResource;
  const subnetResourceId = text(network?.['subnetResourceId']);
  if (subnetResourceId) resource.virtualNetworkConfiguration = { subnetResourceId };
  if (tags) resource.tags = Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return resource;
}

/**
 * The rows of one objectArray page. @azure/arm-resourcegraph's model types `data` as a dictionary, and its
 * deserialiser turns the array Resource Graph sends into an object keyed "0", "1", …: both forms are read, in order.
 * null when `data` is neither (a table-format answer, or something else).
 */
export function rowsOfPage(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  const keyed = object(data);
  if (!keyed) return null;
  const keys = Object.keys(keyed);
  if (!keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) return null;
  return keys.map(Number).sort((a, b) => a - b).map((k) => keyed[String(k)]);
}
