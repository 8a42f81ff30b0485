/**
 * What a failed apply leaves in place, and how to undo it: the bot never leaves a change half-done without
 * saying so. Pure.
 */
import { nameFromId, parseResourceId } from '../eligibility/resource-id.js';
import type { PlannedFix } from '../eligibility/report.js';
import { subnetLabel } from '../requests/labels.js';
import type { IntegrationRequest } from '../requests/request.js';

export function leftBehind(request: IntegrationRequest): string[] {
  const apply = request.apply;
  if (!apply) return [];
  const fixes: PlannedFix[] = apply.plan ?? request.fixes;
  const lines: string[] = [];
  for (const done of apply.done) {
    if (!done.changed) continue;
    const fix = fixes.find((f) => f.kind === done.step);
    const rule = fix?.kind === 'addDependencyRules' ? fix.rules.find((r) => r.name === done.item) : undefined;
    if (fix?.kind === 'addDelegation') {
      const ref = safeSubnetRef(fix.subnetId);
      const undo = ref
        ? `az network vnet subnet update --subscription ${ref.subscriptionId} -g ${ref.resourceGroup} --vnet-name ${ref.vnet} -n ${ref.subnet} --remove delegations`
        : 'remove the delegation in the portal (Subnet > Subnet delegation > None)';
      lines.push(`Subnet ${subnetLabel(fix.subnetId)} stays delegated to Microsoft.Web/serverFarms (added by this request). To undo it, while nothing else uses the subnet: ${undo}`);
    } else if (fix?.kind === 'attachNsg') {
      const ref = safeSubnetRef(fix.subnetId);
      const undo = ref
        ? `az network vnet subnet update --subscription ${ref.subscriptionId} -g ${ref.resourceGroup} --vnet-name ${ref.vnet} -n ${ref.subnet} --remove networkSecurityGroup`
        : 'remove it in the portal (Subnet > Network security group > None)';
      lines.push(`Subnet ${subnetLabel(fix.subnetId)} keeps network security group ${nameFromId(fix.nsgId)} (associated by this request). To undo it: ${undo}`);
    } else if (fix?.kind === 'addDependencyRules' && rule) {
      const parsed = parseResourceId(fix.nsgId);
      const undo = parsed?.resourceGroup
        ? `az network nsg rule delete --subscription ${parsed.subscriptionId} -g ${parsed.resourceGroup} --nsg-name ${nameFromId(fix.nsgId)} -n ${rule.name}`
        : 'delete the rule in the portal';
      lines.push(`Network security group ${nameFromId(fix.nsgId)} keeps rule ${rule.name} (added by this request). To undo it: ${undo}`);
    } else if (fix?.kind === 'registerProvider') {
      lines.push(
        `Microsoft.Web stays registered in subscription ${fix.subscriptionId} (added by this request; harmless). To undo it, if nothing else there needs it: az provider unregister --namespace Microsoft.Web --subscription ${fix.subscriptionId}`,
      );
    }
  }
  for (const created of apply.created ?? []) {
    const parsed = parseResourceId(created.id);
    if (created.type === 'subnet') {
      const ref = safeSubnetRef(created.id);
      const undo = ref ? `az network vnet subnet delete --subscription ${ref.subscriptionId} -g ${ref.resourceGroup} --vnet-name ${ref.vnet} -n ${ref.subnet}` : 'delete it in the portal';
      lines.push(`Subnet ${subnetLabel(created.id)} stays (created by this request). To undo it, while nothing uses it: ${undo}`);
    } else {
      const name = parsed?.names[0] ?? created.id;
      const undo = parsed?.resourceGroup ? `az network nsg delete --subscription ${parsed.subscriptionId} -g ${parsed.resourceGroup} -n ${name}` : 'delete it in the portal';
      lines.push(`Network security group ${name} stays (created by this request). To undo it, once no subnet uses it: ${undo}`);
    }
  }
  return lines;
}

function safeSubnetRef(subnetId: string): { subscriptionId: string; resourceGroup: string; vnet: string; subnet: string } | null {
  const parsed = parseResourceId(subnetId);
  const [vnet, subnet] = parsed?.names ?? [];
  if (!parsed?.resourceGroup || !vnet || !subnet) return null;
  return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup, vnet, subnet };
}
