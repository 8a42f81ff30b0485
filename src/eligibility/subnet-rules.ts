/**
 * Rules about one candidate subnet (domain rules 3, 4, 5, 6, 8): region, subscription, size, usage, delegation.
 * Pure: facts in, findings out.
 */
import { largestIpv4Cidr } from './address.js';
import { FindingCode } from './codes.js';
import type { EligibilitySettings, InstanceFacts, LinkFacts, PrincipalAccess, SubnetFacts } from './facts.js';
import { count, describeInstance, describeSubnet, finding, ipv4Size, listOf } from './messages.js';
import { hasAction, SUBNET_WRITE_ACTION } from './permissions.js';
import type { Finding, PlannedFix } from './report.js';
import { isWithinScope, nameFromId, parseResourceId, sameLocation, sameResourceId, subscriptionOf } from './resource-id.js';

export const SERVER_FARMS_DELEGATION = 'Microsoft.Web/serverFarms';
export const APIM_RESOURCE_TYPE = 'Microsoft.ApiManagement/service';

export interface RuleResult {
  findings: Finding[];
  fixes: PlannedFix[];
}

// ---------------------------------------------------------------------------------------------- placement

/** REGION_MISMATCH and SUBSCRIPTION_MISMATCH. */
export function placementFindings(instance: InstanceFacts, subnet: SubnetFacts): Finding[] {
  const findings: Finding[] = [];
  if (!sameLocation(subnet.vnetLocation, instance.location)) {
    findings.push(
      finding(
        FindingCode.REGION_MISMATCH,
        'blocking',
        `${describeSubnet(subnet)} is in region ${subnet.vnetLocation || '(unknown)'}, but ${describeInstance(instance)} is in ${instance.location}; the VNet must be in the instance's region.`,
        `Pick a subnet of a VNet in ${instance.location}, or create one there.`,
      ),
    );
  }
  const subnetSubscription = subnet.subscriptionId || subscriptionOf(subnet.id) || '';
  if (subnetSubscription.trim().toLowerCase() !== instance.subscriptionId.trim().toLowerCase()) {
    findings.push(
      finding(
        FindingCode.SUBSCRIPTION_MISMATCH,
        'blocking',
        `${describeSubnet(subnet)} is in subscription ${subnetSubscription || '(unknown)'}, but ${describeInstance(instance)} is in subscription ${instance.subscriptionId}; the VNet must be in the instance's subscription.`,
        `Pick a subnet of a VNet in subscription ${instance.subscriptionId}, or create one there.`,
      ),
    );
  }
  return findings;
}

// --------------------------------------------------------------------------------------------------- size

export interface SizeJudgement {
  /** The prefix the size is judged by: the largest IPv4 one, else the first prefix, else null. */
  addressPrefix: string | null;
  /** Its prefix length, null when the subnet has no IPv4 prefix. */
  prefixLength: number | null;
}

/** Picks the largest IPv4 prefix (smallest prefix length); IPv6 prefixes are ignored for sizing. */
export function judgeSize(addressPrefixes: readonly string[]): SizeJudgement {
  const largest = largestIpv4Cidr(addressPrefixes);
  if (largest) return { addressPrefix: largest.text, prefixLength: largest.prefixLength };
  return { addressPrefix: addressPrefixes[0]?.trim() ?? null, prefixLength: null };
}

/** SUBNET_TOO_SMALL (blocking) and SUBNET_BELOW_RECOMMENDED (warning), for the size `judgeSize` picked. */
export function sizeFindings(subnet: SubnetFacts, size: SizeJudgement, settings: EligibilitySettings): Finding[] {
  const { addressPrefix, prefixLength } = size;
  const min = settings.minSubnetPrefix;
  const recommended = settings.recommendedSubnetPrefix;
  const who = describeSubnet(subnet);
  if (prefixLength === null) {
    const has = subnet.addressPrefixes.length === 0 ? 'has no address prefix' : `has no IPv4 address prefix (only ${listOf(subnet.addressPrefixes)})`;
    return [
      finding(
        FindingCode.SUBNET_TOO_SMALL,
        'blocking',
        `${who} ${has}; integration needs an IPv4 range of at least /${min}.`,
        `Pick a subnet with an IPv4 range of /${recommended} (recommended) or at least /${min}.`,
      ),
    ];
  }
  if (prefixLength > min) {
    return [
      finding(
        FindingCode.SUBNET_TOO_SMALL,
        'blocking',
        `${who} is ${addressPrefix} (/${prefixLength}, ${ipv4Size(prefixLength)}); integration needs at least /${min} (${ipv4Size(min)}).`,
        `Pick or create a subnet of /${recommended} (recommended) or at least /${min}.`,
      ),
    ];
  }
  if (prefixLength > recommended) {
    return [
      finding(
        FindingCode.SUBNET_BELOW_RECOMMENDED,
        'warning',
        `${who} is ${addressPrefix} (/${prefixLength}, ${ipv4Size(prefixLength)}): large enough, but smaller than the recommended /${recommended} (${ipv4Size(recommended)}), which limits how far the instance can scale out.`,
        `Prefer a /${recommended} subnet so the instance can scale out.`,
      ),
    ];
  }
  return [];
}

// -------------------------------------------------------------------------------------------------- usage

function isApimLink(link: LinkFacts): boolean {
  return link.linkedResourceType.trim().toLowerCase() === APIM_RESOURCE_TYPE.toLowerCase();
}

function isServerFarmsLink(link: LinkFacts): boolean {
  return link.linkedResourceType.trim().toLowerCase() === SERVER_FARMS_DELEGATION.toLowerCase();
}

/**
 * True when a link belongs to this instance: an API Management link that names it (or, unnamed, sits on its own
 * subnet), or a Microsoft.Web/serverFarms link on its own subnet. APIM v2 runs on App Service infrastructure and
 * which type its link carries is not documented, so the instance's own subnet is known by its
 * `virtualNetworkConfiguration.subnetResourceId`, whatever the link says.
 */
function isOwnLink(link: LinkFacts, instance: InstanceFacts, onOwnSubnet: boolean): boolean {
  if (isApimLink(link)) return link.link ? isWithinScope(link.link, instance.id) : onOwnSubnet;
  return onOwnSubnet && isServerFarmsLink(link);
}

/** True when nothing at all uses the subnet: a delegation can be added only then. */
export function isSubnetEmpty(subnet: SubnetFacts): boolean {
  return (
    subnet.ipConfigurationIds.length === 0 &&
    subnet.privateEndpointIds.length === 0 &&
    subnet.serviceAssociationLinks.length === 0 &&
    subnet.resourceNavigationLinks.length === 0
  );
}

/** Names of the top-level resources behind child ids (a NIC for its IP configuration), de-duplicated. */
function ownerNames(ids: readonly string[], max = 3): string {
  const names: string[] = [];
  for (const id of ids) {
    const name = parseResourceId(id)?.names[0] ?? nameFromId(id);
    if (!names.includes(name)) names.push(name);
  }
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, …` : shown;
}

/**
 * SUBNET_IN_USE (anything other than API Management), SUBNET_USED_BY_OTHER_APIM (another instance's link),
 * and an info finding on the instance's current subnet. This instance's own link is not a problem.
 */
export function usageFindings(instance: InstanceFacts, subnet: SubnetFacts, isCurrent: boolean): Finding[] {
  const findings: Finding[] = [];
  const who = describeSubnet(subnet);
  const links = [...subnet.serviceAssociationLinks, ...subnet.resourceNavigationLinks];
  const onOwnSubnet = isCurrent || (links.length > 0 && sameResourceId(subnet.id, instance.subnetResourceId));
  const otherApim = links.filter((l) => isApimLink(l) && !isOwnLink(l, instance, onOwnSubnet));
  const otherService = (list: readonly LinkFacts[]) => list.filter((l) => !isApimLink(l) && !isOwnLink(l, instance, onOwnSubnet));

  const uses: string[] = [];
  if (subnet.ipConfigurationIds.length > 0) {
    uses.push(
      `${count(subnet.ipConfigurationIds.length, 'IP configuration')} of NICs, load balancers or other resources (${ownerNames(subnet.ipConfigurationIds)})`,
    );
  }
  if (subnet.privateEndpointIds.length > 0) {
    uses.push(`${count(subnet.privateEndpointIds.length, 'private endpoint')} (${ownerNames(subnet.privateEndpointIds)})`);
  }
  const sal = otherService(subnet.serviceAssociationLinks);
  if (sal.length > 0) {
    uses.push(`a service association link of ${listOf([...new Set(sal.map((l) => l.linkedResourceType))])}`);
  }
  const rnl = otherService(subnet.resourceNavigationLinks);
  if (rnl.length > 0) {
    uses.push(`a resource navigation link of ${listOf([...new Set(rnl.map((l) => l.linkedResourceType))])}`);
  }
  if (uses.length > 0) {
    findings.push(
      finding(
        FindingCode.SUBNET_IN_USE,
        'blocking',
        `${who} is used by other resources: ${listOf(uses)}; the subnet must be dedicated to one API Management instance.`,
        'Pick an empty subnet, or create a new one for this instance.',
      ),
    );
  }
  if (otherApim.length > 0) {
    const names = [...new Set(otherApim.flatMap((l) => (l.link ? [`'${nameFromId(l.link)}'`] : [])))];
    const by =
      names.length === 0
        ? 'another API Management instance'
        : `API Management ${names.length === 1 ? 'instance' : 'instances'} ${listOf(names)}`;
    findings.push(
      finding(
        FindingCode.SUBNET_USED_BY_OTHER_APIM,
        'blocking',
        `${who} is already used by ${by}; a subnet can serve one instance only.`,
        'Pick another subnet, or create a new one for this instance.',
      ),
    );
  }
  if (isCurrent) {
    findings.push(
      finding(
        FindingCode.ALREADY_INTEGRATED,
        'info',
        `${who} is the current integration subnet of ${describeInstance(instance)}.`,
        null,
      ),
    );
  }
  return findings;
}

// --------------------------------------------------------------------------------------------- delegation

/**
 * DELEGATION_WRONG when delegated to anything but Microsoft.Web/serverFarms; a missing delegation is fixable
 * by the bot only while the subnet is empty and the bot may write the subnet, and blocking otherwise (the message
 * says whether the subnet is in use or the bot lacks subnets/write).
 */
export function delegationFindings(subnet: SubnetFacts, bot: PrincipalAccess): RuleResult {
  const who = describeSubnet(subnet);
  const delegations = subnet.delegations.map((d) => d.trim()).filter((d) => d !== '');
  const wrong = delegations.filter((d) => d.toLowerCase() !== SERVER_FARMS_DELEGATION.toLowerCase());
  if (wrong.length > 0) {
    const described = wrong.map((d) =>
      d.toLowerCase() === 'microsoft.web/hostingenvironments' ? `${d}, which is for Premium v2 VNet injection` : d,
    );
    return {
      findings: [
        finding(
          FindingCode.DELEGATION_WRONG,
          'blocking',
          `${who} is delegated to ${listOf(described)}; outbound integration needs a delegation to ${SERVER_FARMS_DELEGATION}.`,
          `Pick another subnet, or have the VNet owner change the delegation to ${SERVER_FARMS_DELEGATION} (possible only while the subnet is empty).`,
        ),
      ],
      fixes: [],
    };
  }
  if (delegations.length > 0) return { findings: [], fixes: [] };

  if (!isSubnetEmpty(subnet)) {
    return {
      findings: [
        finding(
          FindingCode.DELEGATION_MISSING,
          'blocking',
          `${who} is not delegated to ${SERVER_FARMS_DELEGATION}, and a delegation cannot be added while the subnet is in use.`,
          `Pick an empty subnet (the bot can delegate it), or empty this one and delegate it to ${SERVER_FARMS_DELEGATION}.`,
        ),
      ],
      fixes: [],
    };
  }
  if (!hasAction(bot, SUBNET_WRITE_ACTION, subnet.id)) {
    return {
      findings: [
        finding(
          FindingCode.DELEGATION_MISSING,
          'blocking',
          `${who} is not delegated to ${SERVER_FARMS_DELEGATION}, and the bot may not add the delegation: it lacks ${SUBNET_WRITE_ACTION} on the subnet.`,
          `Delegate the subnet to ${SERVER_FARMS_DELEGATION} yourself, or grant the bot's identity ${SUBNET_WRITE_ACTION} (the Network Contributor role) on VNet '${subnet.vnetName}'.`,
        ),
      ],
      fixes: [],
    };
  }
  return {
    findings: [
      finding(
        FindingCode.DELEGATION_MISSING,
        'fixable',
        `${who} is not delegated to ${SERVER_FARMS_DELEGATION} yet; it is empty, so the bot can add the delegation on approval.`,
        `On approval, the bot delegates the subnet to ${SERVER_FARMS_DELEGATION}.`,
      ),
    ],
    fixes: [{ kind: 'addDelegation', subnetId: subnet.id, serviceName: 'Microsoft.Web/serverFarms' }],
  };
}
