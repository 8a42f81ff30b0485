/** The wording every card and message shares: findings, fixes, states, people, times. Pure. */
import type { Finding, PlannedFix } from '../../eligibility/report.js';
import { subnetLabel } from '../../requests/labels.js';
import type { Approval, InstanceSummary, IntegrationRequest, Person, RequestState } from '../../requests/request.js';

export { subnetLabel };
export { createNsgLine, fixLine } from '../../apply/steps.js';

const SEVERITY_MARK: Record<Finding['severity'], string> = { blocking: '⛔', fixable: '🔧', warning: '⚠️', info: 'ℹ️' };

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function findingLine(f: Finding, max = 400): string {
  const fix = f.fix ? ` Fix: ${f.fix}` : '';
  return truncate(`${SEVERITY_MARK[f.severity]} ${f.message}${fix}`, max);
}

export function fixShort(fix: PlannedFix): string {
  switch (fix.kind) {
    case 'registerProvider':
      return `registers ${fix.namespace}`;
    case 'createNsg':
      return `creates NSG ${fix.name}`;
    case 'attachNsg':
      return 'associates the NSG';
    case 'addDependencyRules':
      return `adds the ${fix.rules.map((r) => r.destinationAddressPrefix).join(' and ')} rule${fix.rules.length === 1 ? '' : 's'}`;
    case 'addDelegation':
      return 'adds the delegation';
  }
}

export function networkText(instance: Pick<InstanceSummary, 'virtualNetworkType' | 'subnetResourceId'>): string {
  const type = instance.virtualNetworkType || 'None';
  if (type.toLowerCase() === 'none') return 'None (not in a virtual network)';
  return instance.subnetResourceId ? `${type}, subnet ${subnetLabel(instance.subnetResourceId)}` : type;
}

export function skuText(sku: string): string {
  const match = /^(.*?)\s*v2$/i.exec(sku.trim());
  return match ? `${match[1]} v2` : sku || '(unknown)';
}

export const STATE_LABEL: Record<RequestState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved: applying',
  applying: 'Applying',
  succeeded: 'Done',
  failed: 'Failed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const STATE_COLOR: Record<RequestState, string> = {
  pending: 'Accent',
  approved: 'Accent',
  applying: 'Accent',
  succeeded: 'Good',
  failed: 'Attention',
  rejected: 'Attention',
  cancelled: 'Default',
  expired: 'Default',
};

export function personText(person: Person | null): string {
  return person ? person.name || person.aadObjectId || person.teamsId : 'the bot';
}

/** "Bob", or "Dave for Bob" when a delegate approved in Bob's place. */
export function approvalText(approval: Approval): string {
  return approval.onBehalfOf ? `${personText(approval.by)} for ${personText(approval.onBehalfOf)}` : personText(approval.by);
}

/** "2024-05-01 14:03 UTC" */
export function timeText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function requestSummary(request: Pick<IntegrationRequest, 'kind' | 'instance' | 'subnetId'>): string {
  return request.kind !== 'disconnect'
    ? `${request.instance.name} → ${subnetLabel(request.subnetId)}${request.kind === 'newSubnet' ? ' (new)' : ''}`
    : `${request.instance.name} → leave its virtual network`;
}

/** "just now", "5 min ago", "3 h ago", "4 days ago" */
export function agoText(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}
