/** Public surface of the eligibility rules: pure functions over plain facts. */
export { FindingCode, type Severity } from './codes.js';
export {
  DEFAULT_SETTINGS,
  type CheckFacts,
  type EligibilitySettings,
  type InstanceFacts,
  type LinkFacts,
  type NsgFacts,
  type PrincipalAccess,
  type RoleGrant,
  type RuleAccess,
  type RuleDirection,
  type SecurityRuleFacts,
  type SubnetFacts,
} from './facts.js';
export type { EligibilityReport, Finding, PlannedFix, SubnetReport, Verdict } from './report.js';
export { evaluateEligibility } from './evaluate.js';
export {
  actionMatches,
  allowedActions,
  applicableGrants,
  grantAllows,
  hasAction,
  missingActions,
  INSTANCE_WRITE_ACTION,
  SUBNET_JOIN_ACTIONS,
  SUBNET_WRITE_ACTION,
  WEB_REGISTER_ACTION,
} from './permissions.js';
export { isIntegrationSku } from './instance-rules.js';
export { judgeSize, isSubnetEmpty, SERVER_FARMS_DELEGATION } from './subnet-rules.js';
export { decideDependencyAccess, type DependencyDecision } from './security-rules.js';
export { rankSubnets, sortFindings, verdictOf } from './ranking.js';
export {
  isWithinScope,
  normalizeLocation,
  parseResourceId,
  resourceIdKey,
  sameLocation,
  sameResourceId,
  subscriptionOf,
  vnetIdOfSubnet,
} from './resource-id.js';
