/**
 * Rules about the API Management instance itself (domain rules 1, 2, 9, 11 and the current integration).
 * Pure: facts in, findings out.
 */
import { FindingCode } from './codes.js';
import type { CheckFacts, EligibilitySettings, InstanceFacts, PrincipalAccess, SubnetFacts } from './facts.js';
import { describeInstance, describeSubnetId, finding, skuDisplayName } from './messages.js';
import { instancePermissionFindings } from './permission-rules.js';
import { hasAction, WEB_REGISTER_ACTION } from './permissions.js';
import { sortFindings } from './ranking.js';
import type { Finding, PlannedFix } from './report.js';
import { sameResourceId } from './resource-id.js';

/** The SKUs that support outbound virtual network integration, lower-cased. */
const INTEGRATION_SKUS = new Set(['standardv2', 'premiumv2']);
/** Classic tiers that connect to a VNet by injection instead, lower-cased. */
const INJECTION_SKUS = new Set(['developer', 'premium']);

export const HOSTING_ENVIRONMENTS_DELEGATION = 'Microsoft.Web/hostingEnvironments';

export interface InstanceEvaluation {
  findings: Finding[];
  /** Fixes the bot carries out once for the instance (provider registration), in execution order. */
  fixes: PlannedFix[];
  /** The subnet the instance is integrated with today (a v2 instance with External + subnet), else null. */
  currentSubnetId: string | null;
}

export function isIntegrationSku(skuName: string): boolean {
  return INTEGRATION_SKUS.has(skuName.trim().toLowerCase());
}

function vnetTypeOf(instance: InstanceFacts): 'none' | 'external' | 'internal' | 'other' {
  const type = (instance.virtualNetworkType ?? '').trim().toLowerCase();
  if (type === '' || type === 'none') return 'none';
  if (type === 'external' || type === 'internal') return type;
  return 'other';
}

/** Tier and networking mode: SKU_NOT_SUPPORTED, INJECTION_CONFIGURED, ALREADY_INTEGRATED. */
export function tierFindings(
  instance: InstanceFacts,
  subnets: readonly SubnetFacts[],
): { findings: Finding[]; currentSubnetId: string | null } {
  const findings: Finding[] = [];
  const who = describeInstance(instance);
  const sku = skuDisplayName(instance.skuName);
  const vnetType = vnetTypeOf(instance);
  const where = instance.subnetResourceId ? describeSubnetId(instance.subnetResourceId) : 'a virtual network';

  if (!isIntegrationSku(instance.skuName)) {
    const classicInjection = INJECTION_SKUS.has(instance.skuName.trim().toLowerCase());
    findings.push(
      finding(
        FindingCode.SKU_NOT_SUPPORTED,
        'blocking',
        `${who} is on the ${sku} tier; outbound virtual network integration is supported only on the Standard v2 and Premium v2 tiers.` +
          (classicInjection ? ` The classic ${sku} tier connects to a virtual network by VNet injection instead.` : ''),
        classicInjection
          ? `Use VNet injection for this ${sku} instance, or create a Standard v2 or Premium v2 instance for outbound integration.`
          : 'Create a Standard v2 or Premium v2 instance for outbound virtual network integration.',
      ),
    );
    if (vnetType === 'external' || vnetType === 'internal') {
      findings.push(
        finding(
          FindingCode.INJECTION_CONFIGURED,
          'blocking',
          `${who} is injected into ${where} (virtualNetworkType ${instance.virtualNetworkType}); on the classic ${sku} tier that is VNet injection, not outbound integration, and it cannot be switched to integration.`,
          'Create a new Standard v2 or Premium v2 instance for outbound integration.',
        ),
      );
    }
    return { findings, currentSubnetId: null };
  }

  if (vnetType === 'internal') {
    findings.push(
      finding(
        FindingCode.INJECTION_CONFIGURED,
        'blocking',
        `${who} (${sku}) is injected into ${where} (virtualNetworkType Internal, believed to be Premium v2 VNet injection); an injected instance cannot be switched to outbound integration.`,
        'Create a new Premium v2 or Standard v2 instance for outbound integration.',
      ),
    );
    return { findings, currentSubnetId: null };
  }

  if (vnetType === 'external' && instance.subnetResourceId) {
    const current = subnets.find((s) => sameResourceId(s.id, instance.subnetResourceId));
    const injectedSubnet =
      instance.skuName.trim().toLowerCase() === 'premiumv2' &&
      current?.delegations.some((d) => d.trim().toLowerCase() === HOSTING_ENVIRONMENTS_DELEGATION.toLowerCase());
    if (injectedSubnet) {
      findings.push(
        finding(
          FindingCode.INJECTION_CONFIGURED,
          'blocking',
          `${who} (${sku}) is injected into ${where}: that subnet is delegated to ${HOSTING_ENVIRONMENTS_DELEGATION}, which is Premium v2 VNet injection; an injected instance cannot be switched to outbound integration.`,
          'Create a new Premium v2 or Standard v2 instance for outbound integration.',
        ),
      );
      return { findings, currentSubnetId: null };
    }
    findings.push(
      finding(
        FindingCode.ALREADY_INTEGRATED,
        'info',
        `${who} is already integrated with ${where}; choosing another subnet moves the integration there.`,
        null,
      ),
    );
    return { findings, currentSubnetId: instance.subnetResourceId };
  }

  return { findings, currentSubnetId: null };
}

/** INSTANCE_BUSY when an operation is running (ARM answers 409 to a second update). */
export function stateFindings(instance: InstanceFacts): Finding[] {
  const state = (instance.provisioningState ?? '').trim();
  if (state.toLowerCase() === 'succeeded') return [];
  return [
    finding(
      FindingCode.INSTANCE_BUSY,
      'blocking',
      `${describeInstance(instance)} is busy: its provisioning state is '${state || 'unknown'}', and Azure refuses another update until the current operation has finished.`,
      'Wait for the current operation to finish (a network change may take several minutes), then check again.',
    ),
  ];
}

/**
 * Microsoft.Web must be registered before a subnet can be delegated to Microsoft.Web/serverFarms.
 * Fixable when the bot may register it at subscription scope, else blocking (the finding names the missing right).
 */
export function providerFindings(
  instance: InstanceFacts,
  webProviderState: string,
  bot: PrincipalAccess,
): { findings: Finding[]; fixes: PlannedFix[] } {
  const state = (webProviderState ?? '').trim();
  if (state.toLowerCase() === 'registered') return { findings: [], fixes: [] };
  const subscriptionId = instance.subscriptionId;
  const registering = state.toLowerCase() === 'registering';
  const canRegister = hasAction(bot, WEB_REGISTER_ACTION, `/subscriptions/${subscriptionId}`);
  const status = registering
    ? `Registration of the Microsoft.Web resource provider is still in progress in subscription ${subscriptionId}`
    : `The Microsoft.Web resource provider is not registered in subscription ${subscriptionId} (state '${state || 'unknown'}')`;

  if (canRegister) {
    return {
      findings: [
        finding(
          FindingCode.PROVIDER_NOT_REGISTERED,
          'fixable',
          `${status}; the subnet delegation to Microsoft.Web/serverFarms needs it. The bot will ${registering ? 'complete the registration' : 'register it'} on approval.`,
          `On approval, the bot registers Microsoft.Web in subscription ${subscriptionId} before it changes any subnet.`,
        ),
      ],
      fixes: [{ kind: 'registerProvider', namespace: 'Microsoft.Web', subscriptionId }],
    };
  }
  return {
    findings: [
      finding(
        FindingCode.PROVIDER_NOT_REGISTERED,
        'blocking',
        `${status}, and the bot may not register it: it lacks ${WEB_REGISTER_ACTION} on the subscription.`,
        registering
          ? `Wait until Microsoft.Web shows Registered (az provider show -n Microsoft.Web --subscription ${subscriptionId}) and check again, or grant the bot ${WEB_REGISTER_ACTION} on the subscription.`
          : `Register it yourself (az provider register -n Microsoft.Web --subscription ${subscriptionId}), or grant the bot ${WEB_REGISTER_ACTION} on the subscription.`,
      ),
    ],
    fixes: [],
  };
}

/** All instance-level rules, findings ordered by severity. */
export function evaluateInstanceRules(facts: CheckFacts, settings: EligibilitySettings): InstanceEvaluation {
  const tier = tierFindings(facts.instance, facts.subnets);
  const provider = providerFindings(facts.instance, facts.webProviderState, facts.bot);
  return {
    findings: sortFindings([
      ...tier.findings,
      ...stateFindings(facts.instance),
      ...provider.findings,
      ...instancePermissionFindings(facts.instance, facts.bot, facts.requester, settings),
    ]),
    fixes: provider.fixes,
    currentSubnetId: tier.currentSubnetId,
  };
}
