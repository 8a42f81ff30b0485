/**
 * Who may do what (domain rule 10): the bot performs the change, and the requester must be allowed to make it
 * themselves, or the bot would become a way around RBAC. Pure.
 */
import { FindingCode } from './codes.js';
import type { EligibilitySettings, InstanceFacts, PrincipalAccess, SubnetFacts } from './facts.js';
import { describeInstance, describeSubnet, finding, listOf } from './messages.js';
import { INSTANCE_WRITE_ACTION, missingActions, SUBNET_JOIN_ACTIONS } from './permissions.js';
import type { Finding } from './report.js';

function requesterSeverity(settings: EligibilitySettings): 'blocking' | 'warning' {
  return settings.requesterRbac === 'advisory' ? 'warning' : 'blocking';
}

/** BOT_CANNOT_WRITE_INSTANCE and REQUESTER_CANNOT_WRITE_INSTANCE (requester skipped when null). */
export function instancePermissionFindings(
  instance: InstanceFacts,
  bot: PrincipalAccess,
  requester: PrincipalAccess | null,
  settings: EligibilitySettings,
): Finding[] {
  const findings: Finding[] = [];
  const who = describeInstance(instance);
  if (missingActions(bot, [INSTANCE_WRITE_ACTION], instance.id).length > 0) {
    findings.push(
      finding(
        FindingCode.BOT_CANNOT_WRITE_INSTANCE,
        'blocking',
        `The bot may not change ${who}: it lacks ${INSTANCE_WRITE_ACTION} on the instance.`,
        `Grant the bot's identity the API Management Service Contributor role on instance '${instance.name}' or its resource group.`,
      ),
    );
  }
  if (requester && missingActions(requester, [INSTANCE_WRITE_ACTION], instance.id).length > 0) {
    const advisory = settings.requesterRbac === 'advisory';
    findings.push(
      finding(
        FindingCode.REQUESTER_CANNOT_WRITE_INSTANCE,
        requesterSeverity(settings),
        `The requester may not change ${who} themselves: they lack ${INSTANCE_WRITE_ACTION} on the instance.`,
        advisory
          ? `The approver should confirm that the requester may change instance '${instance.name}' before approving.`
          : `Ask the owner of instance '${instance.name}' for the API Management Service Contributor role, or ask someone who holds it to make the request.`,
      ),
    );
  }
  return findings;
}

/** REQUESTER_PERMISSION_MISSING: the requester must be able to read the VNet and join the subnet. */
export function requesterSubnetFindings(
  subnet: SubnetFacts,
  requester: PrincipalAccess | null,
  settings: EligibilitySettings,
): Finding[] {
  if (!requester) return [];
  const missing = missingActions(requester, SUBNET_JOIN_ACTIONS, subnet.id);
  if (missing.length === 0) return [];
  const advisory = settings.requesterRbac === 'advisory';
  return [
    finding(
      FindingCode.REQUESTER_PERMISSION_MISSING,
      requesterSeverity(settings),
      `The requester lacks permission on ${describeSubnet(subnet)}: missing ${listOf(missing)}.`,
      advisory
        ? `The approver should confirm that the requester may use ${describeSubnet(subnet)} before approving.`
        : `Ask the owner of VNet '${subnet.vnetName}' for the Network Contributor role (or a role with these actions), or ask someone who holds it to make the request.`,
    ),
  ];
}

/** BOT_PERMISSION_MISSING: the bot must be able to read the VNet and join the subnet. */
export function botSubnetFindings(subnet: SubnetFacts, bot: PrincipalAccess): Finding[] {
  const missing = missingActions(bot, SUBNET_JOIN_ACTIONS, subnet.id);
  if (missing.length === 0) return [];
  return [
    finding(
      FindingCode.BOT_PERMISSION_MISSING,
      'blocking',
      `The bot lacks permission on ${describeSubnet(subnet)}: missing ${listOf(missing)}.`,
      `Grant the bot's identity the Network Contributor role on VNet '${subnet.vnetName}' (or a role with these actions).`,
    ),
  ];
}
