/** Public surface of the proposal: free address space, the subnet to create, and the NSG rule it needs. Pure. */
export { findFreeBlock, firstFreeBlock, freeSpace, largestFreeBlock, type FreeBlock, type FreeSpace } from './free-space.js';
export { newApimNsg, nsgNamesByGroup, nsgNamesInGroup, resourceGroupIdOf, type NewNsg, type NewNsgInput } from './new-nsg.js';
export { INSTANCE_PLACEHOLDER, MAX_NAME_LENGTH, nameFromPattern, uniqueName, validName } from './names.js';
export {
  DEFAULT_NSG_NAME_PATTERN,
  DEFAULT_PROPOSAL_SETTINGS,
  DEFAULT_SUBNET_NAME_PATTERN,
  ProposalRefusal,
  proposalStillFits,
  proposeSubnet,
  requesterMayChange,
  type MayChange,
  type NsgChoice,
  type ProposalCheck,
  type ProposalInput,
  type ProposalInstance,
  type ProposalOutcome,
  type ProposalSettings,
  type ProposalSubnet,
  type ProposalVnet,
  type ProposedNsg,
  type SubnetProposal,
} from './propose-subnet.js';
export {
  apimOutboundNsg,
  denyMayBlockStorage,
  MAX_RULE_PRIORITY,
  MIN_RULE_PRIORITY,
  pickStorageRulePriority,
  ruleSpecFacts,
  STORAGE_RULE_DESCRIPTION,
  STORAGE_RULE_NAME,
  storageAllowRule,
  storageRuleFix,
  storageServiceTag,
  type ApimOutboundNsgOptions,
  type NsgSpec,
  type SecurityRuleSpec,
  type StorageRuleFixOptions,
  type StorageRuleOptions,
} from './storage-rule.js';
