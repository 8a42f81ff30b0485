/** Public surface of the proposal: free address space and the subnet to create. Pure. */
export { findFreeBlock, firstFreeBlock, freeSpace, largestFreeBlock, type FreeBlock, type FreeSpace } from './free-space.js';
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
