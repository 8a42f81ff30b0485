/** What a person may see of a report (the subnets of VNets they may read) and the narrowing to what they typed. */
import type { CheckFacts } from '../eligibility/facts.js';
import { hasAction } from '../eligibility/permissions.js';
import type { EligibilityReport, SubnetReport } from '../eligibility/report.js';
import { sameResourceId } from '../eligibility/resource-id.js';
import type { SubnetTarget } from '../requests/check-record.js';

export const VNET_READ = 'Microsoft.Network/virtualNetworks/read';

export interface VisibleReport {
  report: EligibilityReport;
  hiddenCount: number;
  identityUnknown: boolean;
}

/** Keeps the subnets of VNets the person may read; the rest are only counted. No identity = nothing visible. */
export function visibleTo(facts: Pick<CheckFacts, 'requester'>, report: EligibilityReport): VisibleReport {
  const requester = facts.requester;
  if (!requester) return { report: { ...report, subnets: [] }, hiddenCount: report.subnets.length, identityUnknown: true };
  const readable = new Map<string, boolean>();
  const canRead = (vnetId: string) => {
    const key = vnetId.toLowerCase();
    let allowed = readable.get(key);
    if (allowed === undefined) {
      allowed = hasAction(requester, VNET_READ, vnetId);
      readable.set(key, allowed);
    }
    return allowed;
  };
  const subnets = report.subnets.filter((s) => canRead(s.vnetId));
  return { report: { ...report, subnets }, hiddenCount: report.subnets.length - subnets.length, identityUnknown: false };
}

/** The subnets a typed target narrows the list to, and how to say it ("hub-vnet", "hub-vnet/apim-outbound"). */
export function narrow(subnets: SubnetReport[], target: SubnetTarget | null): { subnets: SubnetReport[]; label: string | null } {
  if (!target) return { subnets, label: null };
  if (target.kind === 'new') {
    const wanted = target.vnet;
    if (wanted === null) return { subnets, label: null };
    return { subnets: subnets.filter((s) => s.vnetName.toLowerCase() === wanted.toLowerCase() || sameResourceId(s.vnetId, wanted)), label: wanted };
  }
  if (target.kind === 'id') return { subnets: subnets.filter((s) => sameResourceId(s.id, target.id)), label: target.id };
  const vnet = target.vnet.toLowerCase();
  const inVnet = subnets.filter((s) => s.vnetName.toLowerCase() === vnet || sameResourceId(s.vnetId, target.vnet));
  if (target.kind === 'vnet') return { subnets: inVnet, label: target.vnet };
  return { subnets: inVnet.filter((s) => s.name.toLowerCase() === target.subnet.toLowerCase()), label: `${target.vnet}/${target.subnet}` };
}
