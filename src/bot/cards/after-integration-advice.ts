/**
 * What to do once the instance is integrated, for the final card of a successful integrate or new-subnet request:
 * the few things people hit next (private DNS, peerings, allow-lists, the public address). Pure.
 */
import { parseResourceId } from '../../eligibility/resource-id.js';
import type { IntegrationRequest } from '../../requests/request.js';
import { subnetLabel } from './wording.js';

export function afterIntegrationAdvice(request: Pick<IntegrationRequest, 'kind' | 'state' | 'subnetId' | 'apply'>): string[] {
  if (request.state !== 'succeeded' || request.kind === 'disconnect') return [];
  const subnetId = request.apply?.proposal?.subnetId ?? request.subnetId;
  const names = parseResourceId(subnetId ?? '')?.names ?? [];
  const vnet = names.length >= 2 ? `VNet '${names[names.length - 2]}'` : 'the VNet';
  const subnet = subnetLabel(subnetId);
  return [
    `Backends behind private endpoints: link their privatelink.* private DNS zones to ${vnet} (or to the VNet that holds your DNS servers).`,
    `Backends in peered VNets: the peering must be connected, and their routes and NSGs must allow the range of ${subnet}.`,
    `Allow-list the whole range of ${subnet}, not single addresses: the instance's addresses change.`,
    'Calls to public backends still leave from a public address.',
  ];
}
