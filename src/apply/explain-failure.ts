/**
 * ARM's error codes in plain words, with what to do (domain.md's error table plus the usual suspects). Pure.
 */
const EXPLANATIONS: Record<string, string> = {
  VirtualNetworkSubnetHasIncorrectDelegation:
    'The subnet is not delegated to Microsoft.Web/serverFarms. Delegate it (possible only while the subnet is empty) or pick another subnet.',
  SubnetDelegationsCannotChangeWhenSubnetUsedByResource:
    'The subnet\'s delegation cannot change while resources use the subnet. Empty the subnet or pick an empty one.',
  MissingSubscriptionRegistration:
    'The Microsoft.Web resource provider is not registered in the subscription, so the subnet cannot be delegated. Register it (az provider register -n Microsoft.Web) and try again.',
  LinkedAuthorizationFailed:
    'The bot\'s identity may not join the subnet: it lacks Microsoft.Network/virtualNetworks/subnets/join/action. Grant it the Network Contributor role (or a role with that action) on the VNet.',
  AuthorizationFailed: 'The bot\'s identity lacks the Azure permission for this change. Grant it the roles the README lists and try again.',
  InUseSubnetCannotBeDeleted: 'Another service still links to the subnet (a service association link), so it is taken. Pick an empty subnet.',
  ServiceAssociationLinkStillExists: 'Another service still links to the subnet (a service association link), so it is taken. Pick an empty subnet.',
  InUseSubnetCannotBeUpdated: 'The subnet is in use, so it cannot be changed. Pick an empty subnet.',
  Conflict: 'Azure refused the change because another operation is running on the resource. Wait until it has finished, then request again.',
  ServiceUpdateInProgress: 'Another update is running on the instance. Wait until it has finished (a network change may take several minutes), then request again.',
  PessimisticConcurrencyConflict: 'Another operation is running on the instance, so API Management refused the change. Wait until it has finished (a network change may take several minutes), then request again.',
  AnotherOperationInProgress: 'Another operation is running on the resource. Wait until it has finished, then request again.',
  InstanceBusy: 'Another operation is running on the instance. Wait until it has finished (a network change may take several minutes), then request again.',
  RetryableErrorDueToAnotherOperation: 'Azure was busy with another operation on the same resource. Request again in a few minutes.',
  TooManyRequests: 'Azure throttled the bot\'s requests. Request again in a few minutes.',
  ResourceNotFound: 'A resource the request names no longer exists (the instance or the subnet). Check again and make a new request.',
  NotFound: 'A resource the request names no longer exists (the instance or the subnet). Check again and make a new request.',
  OperationTimeout: 'The bot stopped waiting for Azure. The change may still finish: say status <instance> to see.',
  UpdateTimeout: 'The bot stopped waiting for Azure. The change may still finish: say status <instance> to see.',
  UpdateNotApplied: 'Azure reported success, but the instance does not show the new network setting. Say status <instance>, and ask the platform team if it stays that way.',
  UpdateFailed: 'The update that was already running on the instance did not end as requested. Say status <instance> for its state.',
  InternalServerError: 'Azure had an internal error. Request again; if it repeats, open a support case with the details below.',
};

const FALLBACK = 'Azure refused the change. The details below are Azure\'s own words; ask the platform team if they are unclear.';

export function explainArmCode(code: string): string {
  return EXPLANATIONS[code] ?? FALLBACK;
}
