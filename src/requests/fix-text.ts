/** How the cards and messages describe a planned fix. Pure. */
import type { PlannedFix } from '../eligibility/report.js';
import { ruleSpecText } from '../eligibility/dependency-allow-rules.js';
import { nameFromId, parseResourceId } from '../eligibility/resource-id.js';
import { subnetLabel } from './labels.js';

export function fixLine(fix: PlannedFix): string {
  switch (fix.kind) {
    case 'registerProvider':
      return `Register the ${fix.namespace} resource provider in subscription ${fix.subscriptionId}.`;
    case 'createNsg':
      return createNsgLine(fix);
    case 'attachNsg':
      return `Associate network security group ${nameFromId(fix.nsgId)} with subnet ${subnetLabel(fix.subnetId)}.`;
    case 'addDependencyRules':
      return `Add ${fix.rules.map(ruleSpecText).join(' and ')} to network security group ${nameFromId(fix.nsgId)}.`;
    case 'addDelegation':
      return `Delegate subnet ${subnetLabel(fix.subnetId)} to ${fix.serviceName}.`;
  }
}

/** "Create network security group X in resource group RG (region) with the rule R: Outbound Allow TCP 443 from … to …, priority 100." */
export function createNsgLine(nsg: Pick<Extract<PlannedFix, { kind: 'createNsg' }>, 'nsgId' | 'name' | 'location' | 'rules'>): string {
  const rules = nsg.rules.map(
    (r) => `${r.name}: ${r.direction} ${r.access} ${r.protocol.toUpperCase()} ${r.destinationPortRange} from ${r.sourceAddressPrefix} to ${r.destinationAddressPrefix}, priority ${r.priority}`,
  );
  const group = parseResourceId(nsg.nsgId)?.resourceGroup ?? '';
  const what = rules.length === 0 ? 'no custom rules' : `the rule${rules.length === 1 ? '' : 's'} ${rules.join('; ')}`;
  return `Create network security group ${nsg.name} in resource group ${group} (${nsg.location}) with ${what}.`;
}
