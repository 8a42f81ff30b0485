/** Small helpers that keep the wording of findings consistent. Pure. */
import type { FindingCode, Severity } from './codes.js';
import type { InstanceFacts, SubnetFacts } from './facts.js';
import type { Finding, FindingDetails } from './report.js';
import { parseResourceId } from './resource-id.js';

/** Builds a finding; message and fix are sentences, so their first letter is capitalised. */
export function finding(code: FindingCode, severity: Severity, message: string, fix: string | null, details?: FindingDetails): Finding {
  const made: Finding = { code, severity, message: sentence(message), fix: fix === null ? null : sentence(fix) };
  if (details) made.details = details;
  return made;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "subnet 'apim-out' in VNet 'hub-vnet'" */
export function describeSubnet(subnet: Pick<SubnetFacts, 'name' | 'vnetName'>): string {
  return `subnet '${subnet.name}' in VNet '${subnet.vnetName}'`;
}

/** "subnet 'apim-out' in VNet 'hub-vnet'" from a subnet id. */
export function describeSubnetId(id: string): string {
  const parsed = parseResourceId(id);
  const subnet = parsed?.names[parsed.names.length - 1];
  const vnet = parsed?.names[parsed.names.length - 2];
  if (!subnet || !vnet) return `subnet '${id}'`;
  return `subnet '${subnet}' in VNet '${vnet}'`;
}

/** "instance 'apim-prod'" */
export function describeInstance(instance: Pick<InstanceFacts, 'name'>): string {
  return `API Management instance '${instance.name}'`;
}

/** "StandardV2" -> "Standard v2", "Developer" -> "Developer". */
export function skuDisplayName(skuName: string): string {
  const match = /^(.*?)\s*v2$/i.exec(skuName.trim());
  return match ? `${match[1]} v2` : skuName.trim() || '(unknown)';
}

/** "1 private endpoint", "2 private endpoints". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Number of IPv4 addresses in a block of this prefix length, for messages. */
export function ipv4Size(prefixLength: number): string {
  const n = 2 ** (32 - prefixLength);
  return `${String(n).replace(/\B(?=(\d{3})+$)/g, ',')} address${n === 1 ? '' : 'es'}`;
}
