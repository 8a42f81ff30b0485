import { parseResourceId } from '../eligibility/resource-id.js';

/** "hub-vnet/apim-outbound" from a subnet id, for messages. */
export function subnetLabel(subnetId: string | null): string {
  if (!subnetId) return '(none)';
  const names = parseResourceId(subnetId)?.names ?? [];
  return names.length >= 2 ? `${names[names.length - 2]}/${names[names.length - 1]}` : subnetId;
}
