/** The help card: what to say, with examples. Pure. */
import { renderCard, type AdaptiveCard } from './template.js';

export const HELP_EXAMPLES: { command: string; what: string }[] = [
  { command: 'check contoso-apim', what: 'Judge the instance and its subnets; pick one to request integration.' },
  { command: 'check contoso-apim in hub-vnet', what: 'The same, for one VNet.' },
  { command: 'connect contoso-apim to hub-vnet/apim-outbound', what: 'Request integration with that subnet (or paste its resource id).' },
  { command: 'integrate contoso-apim new subnet', what: 'Have the bot propose, and on approval create, a new subnet for the instance.' },
  { command: 'disconnect contoso-apim', what: 'Request that the instance leaves its VNet.' },
  { command: 'status contoso-apim', what: 'Live network state from Azure, and the latest request.' },
  { command: 'status R-7K3QM', what: 'A request and its history.' },
  { command: 'requests', what: 'Open requests in this chat or team.' },
  { command: 'pending', what: 'Approvers: what waits for your decision, from every chat.' },
  { command: 'my requests', what: 'Your own requests, from every chat.' },
  { command: 'delegate to @Dave until 2026-12-24', what: 'Approvers: let someone decide in your place while you are away (`withdraw delegation` ends it).' },
  { command: 'who approves contoso-apim', what: 'Who decides requests on the instance (or, without a name, by default), and where the approval card goes.' },
  { command: 'cancel R-7K3QM', what: 'Withdraw your pending request.' },
  { command: 'retry R-7K3QM', what: 'Try your failed request again: a fresh check, then approval (or straight to apply when the policy allows).' },
  { command: 'audit R-7K3QM', what: 'Every change of a request: who, when, what, and ARM operation ids.' },
  { command: 'approvals here', what: 'Approvers: send approval cards to this channel.' },
];

export function helpCard(problem: string | null): AdaptiveCard {
  return renderCard('help', {
    problem: problem ?? '',
    examples: HELP_EXAMPLES,
    footer: 'Instances by name or resource id. Nothing changes in Azure until an approver approves.',
  });
}
