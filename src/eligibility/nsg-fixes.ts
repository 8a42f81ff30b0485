/**
 * What the bot can do about a subnet's NSG (domain rule 7) on approval, on top of the findings of nsg-rules.ts:
 * give a subnet without an NSG one (a new NSG with an explicit allow per required dependency, or the configured
 * NSG), and, optionally, add the explicit allows to an NSG that allows a dependency only by default or may deny it.
 * Both the bot and the requester must be allowed to make the change (in advisory mode the approver decides
 * for the requester). Pure.
 */
import { FindingCode } from './codes.js';
import type { CheckFacts, EligibilitySettings, NsgFacts, PrincipalAccess, SubnetFacts } from './facts.js';
import { describeSubnet, finding, listOf } from './messages.js';
import { dependencyRulesFix, ruleSpecText } from './dependency-allow-rules.js';
import { newApimNsg, nsgNamesByGroup, resourceGroupIdOf } from './new-nsg.js';
import { allowRulesText, nsgFindings } from './nsg-rules.js';
import { hasAction, NSG_JOIN_ACTION, NSG_RULE_WRITE_ACTION, NSG_WRITE_ACTION, SUBNET_WRITE_ACTION } from './permissions.js';
import type { Finding, PlannedFix } from './report.js';
import { nameFromId, resourceIdKey, sameLocation } from './resource-id.js';
import { findNsg } from './security-rules.js';

export type NsgContext = Pick<CheckFacts, 'instance' | 'networkSecurityGroups' | 'bot' | 'requester'>;

/** Shared by every subnet the bot has nothing to offer for; never changed. */
const NONE: PlannedFix[] = [];

export interface NsgJudgement {
  findings: Finding[];
  fixes: PlannedFix[];
  optionalFixes: PlannedFix[];
}

/** The subnet's NSG findings, with what the bot can do about them (for a subnet nothing else rules out). */
export function judgeNsg(subnet: SubnetFacts, context: NsgContext, settings: EligibilitySettings): NsgJudgement {
  if (!subnet.networkSecurityGroupId) return missingNsg(subnet, context, settings);
  const findings = nsgFindings(subnet, context.networkSecurityGroups, context.instance.location, settings.dependencies);
  const nsg = findNsg(context.networkSecurityGroups, subnet.networkSecurityGroupId);
  return withDependencyRulesOffer(findings, subnet, nsg, context, settings);
}

// ------------------------------------------------------------------------------------------ no NSG at all

/** The NSG to associate, with what the bot will do, worked out once and shared by every subnet that gets it. */
type NsgTarget =
  | { nsgId: string; configured: ConfiguredNsg | null; createFix: PlannedFix | null; fixText: string }
  | { problem: string };

/** The configured NSG, with the findings the subnet will have once it is associated. */
interface ConfiguredNsg {
  nsg: NsgFacts;
  attached: SubnetFacts;
  findings: Finding[];
}

function missingNsg(subnet: SubnetFacts, context: NsgContext, settings: EligibilitySettings): NsgJudgement {
  const who = describeSubnet(subnet);
  const base = `${who} has no network security group associated; integration requires one.`;
  const rulesText = allowRulesText(settings.dependencies.required);
  const manual = `Associate a network security group with the subnet, with ${rulesText}.`;
  const blocked = (message: string, fix: string): NsgJudgement => ({
    findings: [finding(FindingCode.NSG_MISSING, 'blocking', message, fix)],
    fixes: NONE,
    optionalFixes: NONE,
  });

  const target = nsgTarget(subnet, context, settings);
  if ('problem' in target) return blocked(`${base} ${target.problem}`, manual);

  const needed: [string, string][] = [
    [SUBNET_WRITE_ACTION, subnet.id],
    [NSG_JOIN_ACTION, target.nsgId],
    ...(target.createFix ? ([[NSG_WRITE_ACTION, target.nsgId]] as [string, string][]) : []),
  ];
  const botLacks = lacking(context.bot, needed);
  if (botLacks.length > 0) {
    return blocked(
      `${base} The bot may not associate one: it lacks ${listOf(botLacks)}.`,
      `${manual} Or grant the bot's identity the Network Contributor role on the resource group of VNet '${subnet.vnetName}'.`,
    );
  }
  const requesterLacks = context.requester ? lacking(context.requester, needed) : [];
  const advisory = settings.requesterRbac === 'advisory';
  if (requesterLacks.length > 0 && !advisory) {
    return blocked(
      `${base} The bot could associate one, but the requester may not make that change themselves: they lack ${listOf(requesterLacks)}.`,
      `Ask the owner of VNet '${subnet.vnetName}' to associate a network security group with ${rulesText}, or for the Network Contributor role.`,
    );
  }

  const findings: Finding[] = [finding(FindingCode.NSG_MISSING, 'fixable', `${base} The bot can give it one on approval.`, target.fixText)];
  if (requesterLacks.length > 0) {
    findings.push(
      finding(
        FindingCode.REQUESTER_PERMISSION_MISSING,
        'warning',
        `The requester may not change the network security group of ${who} themselves: they lack ${listOf(requesterLacks)}.`,
        `The approver should confirm that the requester may change ${who} before approving.`,
      ),
    );
  }
  const fixes: PlannedFix[] = [...(target.createFix ? [target.createFix] : []), { kind: 'attachNsg', subnetId: subnet.id, nsgId: target.nsgId }];
  if (!target.configured) return { findings, fixes, optionalFixes: NONE };
  const { nsg, attached, findings: once } = target.configured;
  const offer = withDependencyRulesOffer(once, attached, nsg, context, settings);
  return { findings: [...findings, ...offer.findings], fixes, optionalFixes: offer.optionalFixes };
}

/** The configured NSG (NEW_SUBNET_NSG_ID) for `subnet`: readable, in the VNet's region, and denying no required dependency. */
function configuredNsg(nsgId: string, subnet: SubnetFacts, context: NsgContext, settings: EligibilitySettings): ConfiguredNsg | { problem: string } {
  const name = nameFromId(nsgId);
  const nsg = findNsg(context.networkSecurityGroups, nsgId);
  if (!nsg) return { problem: `The configured network security group '${name}' (NEW_SUBNET_NSG_ID) could not be read, so the bot cannot associate it.` };
  if (!sameLocation(nsg.location, subnet.vnetLocation)) {
    return { problem: `The configured network security group '${name}' is in ${nsg.location}, not in ${subnet.vnetLocation} with the VNet, so the bot cannot associate it.` };
  }
  const attached = { ...subnet, networkSecurityGroupId: nsg.id };
  const findings = nsgFindings(attached, context.networkSecurityGroups, context.instance.location, settings.dependencies);
  const denied = findings.find((f) => f.severity === 'blocking');
  if (denied) return { problem: `The configured network security group '${name}' cannot be used: ${denied.message}` };
  return { nsg, attached, findings };
}

/**
 * Why the configured NSG cannot go on a new subnet (`subnet` as it will be), or null when it can: the checks of an
 * existing subnet's NSG, and `join/action` on it for the bot and (in enforce mode) the requester.
 */
export function configuredNsgProblem(nsgId: string, subnet: SubnetFacts, context: NsgContext, settings: EligibilitySettings): string | null {
  const usable = configuredNsg(nsgId, subnet, context, settings);
  if ('problem' in usable) return usable.problem;
  const needed: [string, string][] = [[NSG_JOIN_ACTION, usable.nsg.id]];
  if (lacking(context.bot, needed).length > 0) return `The bot may not associate the configured network security group '${usable.nsg.name}': it lacks ${NSG_JOIN_ACTION} on it.`;
  if (context.requester && settings.requesterRbac === 'enforce' && lacking(context.requester, needed).length > 0) {
    return `The requester may not associate the configured network security group '${usable.nsg.name}' themselves: they lack ${NSG_JOIN_ACTION} on it.`;
  }
  return null;
}

/** The NSG to associate: the configured one (readable, in the VNet's region, denying no required dependency) or a new one. */
function nsgTarget(subnet: SubnetFacts, context: NsgContext, settings: EligibilitySettings): NsgTarget {
  const fixes = settings.networkFixes;
  if (fixes.nsgId) {
    const usable = configuredNsg(fixes.nsgId, subnet, context, settings);
    if ('problem' in usable) return usable;
    const { nsg } = usable;
    return { nsgId: nsg.id, configured: usable, createFix: null, fixText: `On approval, the bot associates the configured network security group '${nsg.name}' with the subnet.` };
  }
  const resourceGroupId = resourceGroupIdOf(subnet.vnetId, subnet.subscriptionId);
  const tags = settings.dependencies.required;
  const key = [resourceGroupId, subnet.vnetLocation, context.instance.name, context.instance.location, fixes.nsgNamePattern, fixes.tagForm, ...tags].join('|').toLowerCase();
  const cache = checkCache(context.networkSecurityGroups);
  let target = cache.targets.get(key);
  if (!target) {
    const create = newApimNsg({
      instance: context.instance,
      vnet: { id: subnet.vnetId, location: subnet.vnetLocation },
      namePattern: fixes.nsgNamePattern,
      takenNames: cache.namesByGroup.get(resourceIdKey(resourceGroupId)) ?? [],
      tags,
      tagForm: fixes.tagForm,
    });
    const rules = create.rules.length > 0 ? `with ${create.rules.map((r) => ruleSpecText(r)).join(', ')}` : 'with no custom rules';
    target = {
      nsgId: create.id,
      configured: null,
      createFix: { kind: 'createNsg', nsgId: create.id, name: create.create, location: create.location, rules: create.rules },
      fixText: `On approval, the bot creates network security group '${create.create}' ${rules}, and associates it with the subnet.`,
    };
    cache.targets.set(key, target);
  }
  return target;
}

/**
 * Worked out once per check (keyed by the check's NSG map), because a subscription may hold thousands of subnets
 * without an NSG: the NSG names per resource group, and the new-NSG target each group's subnets share.
 */
interface CheckCache {
  namesByGroup: Map<string, string[]>;
  targets: Map<string, NsgTarget>;
}

const caches = new WeakMap<ReadonlyMap<string, NsgFacts>, CheckCache>();

function checkCache(nsgs: ReadonlyMap<string, NsgFacts>): CheckCache {
  let cache = caches.get(nsgs);
  if (!cache) {
    const namesByGroup = nsgNamesByGroup([...nsgs.values()].map((nsg) => nsg.id));
    caches.set(nsgs, (cache = { namesByGroup, targets: new Map() }));
  }
  return cache;
}

// --------------------------------------------------------------------------- the optional dependency rules

/**
 * Offers the explicit allows for the required dependencies the findings say lack one (NSG_DEPENDENCY_NOT_EXPLICIT on
 * a readable NSG that denies none of them), when a free priority before every deny exists for each, and the bot and
 * the requester may write the NSG's rules. The offer is named in the last of those findings' fix.
 */
function withDependencyRulesOffer(
  findings: Finding[],
  subnet: SubnetFacts,
  nsg: NsgFacts | undefined | null,
  context: NsgContext,
  settings: EligibilitySettings,
): NsgJudgement {
  const none: NsgJudgement = { findings, fixes: NONE, optionalFixes: NONE };
  if (!nsg) return none;
  // nsg-rules.ts reports NSG_DEPENDENCY_NOT_EXPLICIT only for tags the NSG does not certainly deny.
  const notExplicit = findings.filter((f) => f.code === FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT);
  if (notExplicit.length === 0 || findings.some((f) => f.code === FindingCode.NSG_BLOCKS_DEPENDENCY)) return none;
  const needed: [string, string][] = [[NSG_RULE_WRITE_ACTION, nsg.id]];
  if (lacking(context.bot, needed).length > 0) return none;
  const requesterLacks = context.requester !== null && lacking(context.requester, needed).length > 0;
  if (requesterLacks && settings.requesterRbac === 'enforce') return none;
  const tags = [...new Set(notExplicit.map((f) => f.details?.tag ?? ''))].filter((t) => t !== '');
  const rules = dependencyRulesFix(nsg, subnet.addressPrefixes, context.instance.location, tags, { regionalTag: settings.networkFixes.tagForm === 'regional' });
  if (!rules || rules.length === 0) return none;
  const offer = `The bot can add ${rules.map(ruleSpecText).join(' and ')} to NSG '${nsg.name}' on approval, as an optional fix.`;
  const last = findings.map((f) => f.code).lastIndexOf(FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT);
  const withOffer = findings.map((f, i) => (i === last ? { ...f, fix: f.fix ? `${f.fix} ${offer}` : offer } : f));
  if (requesterLacks) {
    withOffer.push(
      finding(
        FindingCode.REQUESTER_PERMISSION_MISSING,
        'warning',
        `The requester may not change the rules of network security group '${nsg.name}' themselves: they lack ${NSG_RULE_WRITE_ACTION}.`,
        `If the request includes the explicit rules, the approver should confirm that the requester may change NSG '${nsg.name}'.`,
      ),
    );
  }
  return { findings: withOffer, fixes: NONE, optionalFixes: [{ kind: 'addDependencyRules', nsgId: nsg.id, rules }] };
}

function lacking(access: PrincipalAccess, needed: readonly [string, string][]): string[] {
  return [...new Set(needed.filter(([action, scope]) => !hasAction(access, action, scope)).map(([action]) => action))];
}
