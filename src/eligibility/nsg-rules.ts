/**
 * Network security group findings (domain rule 7): an NSG must be associated, and outbound TCP 443 from the subnet
 * to each required dependency tag must not be denied (blocking) and should be allowed by a rule of its own
 * (warning); a deny of an optional tag, once documented, is worth a warning. What the rules mean is decided in
 * security-rules.ts. Pure.
 */
import { FindingCode } from './codes.js';
import type { NsgFacts, OutboundDependencySettings, SecurityRuleFacts, SubnetFacts } from './facts.js';
import { describeSubnet, finding, listOf } from './messages.js';
import type { Finding } from './report.js';
import { decideDependencyAccess, DEPENDENCY_PORT, findNsg } from './security-rules.js';
import { nameFromId } from './resource-id.js';

function ruleLabel(rule: SecurityRuleFacts): string {
  return `rule '${rule.name}' (priority ${rule.priority}, ${rule.access})`;
}

/** "an outbound Allow rule for TCP 443 to AzureKeyVault" (one per tag, said as one phrase). */
export function allowRulesText(tags: readonly string[]): string {
  if (tags.length === 0) return 'the outbound rules your backends need';
  return `${tags.length === 1 ? 'an outbound Allow rule' : 'outbound Allow rules'} for TCP ${DEPENDENCY_PORT} to ${listOf(tags)}`;
}

/** NSG_MISSING, NSG_BLOCKS_DEPENDENCY, NSG_DEPENDENCY_NOT_EXPLICIT and NSG_BLOCKS_OPTIONAL_DEPENDENCY for one subnet. */
export function nsgFindings(
  subnet: SubnetFacts,
  nsgs: ReadonlyMap<string, NsgFacts>,
  instanceLocation: string,
  dependencies: OutboundDependencySettings,
): Finding[] {
  const who = describeSubnet(subnet);
  if (!subnet.networkSecurityGroupId) {
    return [
      finding(
        FindingCode.NSG_MISSING,
        'blocking',
        `${who} has no network security group associated; integration requires one.`,
        `Associate a network security group with the subnet, with ${allowRulesText(dependencies.required)}.`,
      ),
    ];
  }
  const nsg = findNsg(nsgs, subnet.networkSecurityGroupId);
  if (!nsg) {
    const name = nameFromId(subnet.networkSecurityGroupId);
    return dependencies.required.map((tag) =>
      finding(
        FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT,
        'warning',
        `Network security group '${name}' of ${who} could not be read, so its rules for outbound TCP ${DEPENDENCY_PORT} to ${tag} could not be checked.`,
        `Make sure NSG '${name}' has ${allowRulesText([tag])}.`,
        { tag },
      ),
    );
  }
  const findings: Finding[] = [];
  for (const tag of dependencies.required) requiredTagFindings(findings, subnet, nsg, tag, instanceLocation);
  for (const tag of dependencies.optional) optionalTagFindings(findings, subnet, nsg, tag, instanceLocation);
  return findings;
}

function requiredTagFindings(into: Finding[], subnet: SubnetFacts, nsg: NsgFacts, tag: string, location: string): void {
  const decision = decideDependencyAccess(nsg.rules, subnet.addressPrefixes, tag, location);
  const nsgName = `network security group '${nsg.name}'`;
  const traffic = `outbound TCP ${DEPENDENCY_PORT} from ${describeSubnet(subnet)} to ${tag} (a dependency of API Management) in ${location}`;
  const addRule = allowRulesText([tag]);
  const details = { tag };
  const rule = decision.decidingRule;

  if (decision.outcome === 'denied' && rule) {
    into.push(
      finding(
        FindingCode.NSG_BLOCKS_DEPENDENCY,
        'blocking',
        `${nsgName} denies ${traffic}: ${ruleLabel(rule)} matches first.`,
        rule.priority > 100
          ? `Add ${addRule} to NSG '${nsg.name}' with a higher priority (a number lower than ${rule.priority}) than rule '${rule.name}'.`
          : `Change rule '${rule.name}' of NSG '${nsg.name}' so it no longer denies TCP ${DEPENDENCY_PORT} to ${tag}, or give it a higher number and add ${addRule} before it.`,
        details,
      ),
    );
    return;
  }

  if (decision.uncertainDenies.length > 0) {
    const described = decision.uncertainDenies.map((u) => `${ruleLabel(u.rule)}: ${u.reason}`);
    const names = (decision.uncertainDenies.length === 1 ? 'rule ' : 'rules ') + listOf(decision.uncertainDenies.map((u) => `'${u.rule.name}'`));
    const first = decision.uncertainDenies[0]?.rule.priority ?? 100;
    into.push(
      finding(
        FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT,
        'warning',
        `${nsgName} may deny ${traffic}, which could not be checked: ${described.join('; ')}.`,
        first > 100 ? `Make sure ${names} cannot deny ${tag}, or add ${addRule} with a number lower than ${first}.` : `Make sure ${names} cannot deny ${tag}.`,
        details,
      ),
    );
  }

  if (decision.outcome === 'allowedByDefault' && rule) {
    into.push(
      finding(
        FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT,
        'warning',
        `${nsgName} allows ${traffic} only through the default rule '${rule.name}'; the documentation asks for an explicit rule.`,
        `Add ${addRule} to NSG '${nsg.name}'.`,
        details,
      ),
    );
  } else if (decision.outcome === 'undecided') {
    into.push(
      finding(FindingCode.NSG_DEPENDENCY_NOT_EXPLICIT, 'warning', `No rule of ${nsgName} certainly decides ${traffic}.`, `Add ${addRule} to NSG '${nsg.name}'.`, details),
    );
  }
}

function optionalTagFindings(into: Finding[], subnet: SubnetFacts, nsg: NsgFacts, tag: string, location: string): void {
  const decision = decideDependencyAccess(nsg.rules, subnet.addressPrefixes, tag, location);
  const rule = decision.decidingRule;
  if (decision.outcome !== 'denied' || !rule) return;
  into.push(
    finding(
      FindingCode.NSG_BLOCKS_OPTIONAL_DEPENDENCY,
      'warning',
      `network security group '${nsg.name}' denies outbound TCP ${DEPENDENCY_PORT} from ${describeSubnet(subnet)} to ${tag} (${ruleLabel(rule)}). ` +
        `Earlier versions of the documentation listed ${tag} as a dependency of API Management; the current one does not.`,
      `Nothing is required. If the gateway cannot reach what it needs after integration, allow TCP ${DEPENDENCY_PORT} to ${tag} in NSG '${nsg.name}'.`,
      { tag },
    ),
  );
}
