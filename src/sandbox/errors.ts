/**
 * Every error code the sandbox answers with (validate-apim.ts, validate-subnet.ts, validate-nsg.ts, and the
 * headers of routes-writes.ts and routes-nsg.ts for deletes, list in order the ones each write can return).
 * Bodies are ARM's: `{ "error": { "code", "message", "details"? } }`. The Microsoft Graph stand-in (routes-graph.ts)
 * answers with Graph's codes in the same shape; they are listed there.
 *
 * ARM's real codes (same status as ARM):
 *   401 AuthenticationFailed            no `Authorization: Bearer …` header
 *   401 ExpiredAuthenticationToken      the token's `exp` is in the past
 *   403 AuthorizationFailed             caller lacks the action (APIM write, subnets/write, subnets/delete,
 *                                       networkSecurityGroups/write and /delete, networkSecurityGroups/securityRules/write
 *                                       and /delete, {ns}/register/action)
 *   403 LinkedAuthorizationFailed       caller lacks subnets/join/action on the subnet (or NSG join/action when a subnet PUT changes its NSG)
 *   404 SubscriptionNotFound            unknown subscription
 *   404 ResourceGroupNotFound           unknown resource group
 *   404 ResourceNotFound                unknown resource or operation (or the parent VNet/NSG of a subnet or rule write)
 *   404 RoleAssignmentNotFound          GET of a role assignment id that does not exist
 *   404 RoleDefinitionDoesNotExist      GET of a role definition GUID that does not exist
 *   400 InvalidRequestContent           request body is not JSON / not an object, or a delegation without serviceName
 *   400 VirtualNetworkSubnetHasIncorrectDelegation          subnet not delegated to exactly Microsoft.Web/serverFarms
 *   400 SubnetDelegationsCannotChangeWhenSubnetUsedByResource  delegation change on a subnet with ip configurations, private endpoints or links
 *   400 NetcfgSubnetRangeOutsideVnet    subnet prefix outside the VNet's address space
 *   400 NetcfgSubnetRangesOverlap       subnet prefix overlaps a sibling subnet
 *   400 InvalidCIDRNotation             subnet prefix with host bits set (10.0.1.7/24 for 10.0.1.0/24)
 *   400 InvalidResourceReference        subnet PUT references an NSG or a route table that does not exist
 *   400 InUseSubnetCannotBeDeleted      subnet DELETE while ip configurations, private endpoints, service association
 *                                       or resource navigation links remain
 *   400 LocationRequired                NSG PUT creating an NSG without location
 *   400 InvalidResourceLocation         NSG PUT with a location other than the existing NSG's
 *   400 SecurityRuleConflict            two security rules of one NSG with the same priority and direction
 *   400 SecurityRuleInvalidPriority     security rule priority missing or outside 100-4096
 *   400 SecurityRuleInvalidPortRange    security rule port missing, or not `*`, a port or a range within 0-65535
 *   400 SecurityRuleInvalidAddressPrefix  security rule IPv4 address prefix that does not parse
 *   400 InUseNetworkSecurityGroupCannotBeDeleted  NSG DELETE while a subnet or network interface is associated
 *   409 MissingSubscriptionRegistration delegation to Microsoft.Web/serverFarms while Microsoft.Web is not Registered
 *   409 AnotherOperationInProgress      subnet or NSG write/delete (or security rule write/delete) while an operation on it runs
 *   409 PessimisticConcurrencyConflict  APIM PATCH while the instance's provisioningState is not Succeeded (API Management's
 *                                       answer while another operation on the service runs)
 *   429 RetryableError                  subnet PUT referencing an NSG that is not Succeeded (an operation on it runs);
 *                                       details[0].code ReferencedResourceNotProvisioned, Retry-After 1 (ARM has been
 *                                       seen to answer this as a retryable 429; the status is not documented)
 *   429 TooManyRequests                 injected throttling (with Retry-After)
 *   500 InternalServerError             injected server error (or a sandbox bug)
 *
 * The sandbox's own codes (ARM's real code is unknown or differs; do not match on these in production code):
 *   400 SkuDoesNotSupportVirtualNetworkIntegration  VNet settings on a SKU other than StandardV2/PremiumV2
 *                                       (classic Developer/Premium injection is not modelled and is refused too)
 *   400 CannotSwitchVirtualNetworkMode  Premium v2 injected (Internal) <-> integrated (External)
 *   400 UnsupportedVirtualNetworkType   virtualNetworkType other than None/External (Internal = injection, not modelled)
 *   400 VirtualNetworkConfigurationRequired  External without a well-formed virtualNetworkConfiguration.subnetResourceId
 *   400 SubnetNotFound                  subnetResourceId names a subnet that does not exist
 *   400 SubnetInDifferentSubscription   subnet in another subscription than the instance
 *   400 SubnetInDifferentRegion         VNet in another region than the instance
 *   400 SubnetInUse                     subnet has ip configurations, private endpoints or links to anything but this instance
 *   400 SubnetTooSmall                  largest IPv4 prefix smaller than /27
 *   400 InvalidSubnetAddressPrefix      subnet PUT without a valid addressPrefix/addressPrefixes
 *   400 InvalidSecurityRule             security rule with a protocol, access or direction ARM does not know, or without a
 *                                       source or destination
 *   400 DuplicateSecurityRuleName       NSG PUT whose securityRules name one rule twice
 *   400 UnsupportedQueryFilter          a role assignment/definition $filter the sandbox does not understand
 *   400 InvalidSkipToken                malformed $skiptoken
 *   400 BadRequest                      Resource Graph: a query of another shape or a bad body (routes-resource-graph.ts);
 *                                       details[0].code InvalidQuery (Resource Graph's own), details[1] ParserFailure or
 *                                       the sandbox's reason (MissingQuery, UnsupportedScope, UnsupportedResultFormat,
 *                                       InvalidOptions, InvalidSkipToken, InvalidSubscriptions)
 *   405 MethodNotAllowed                Resource Graph's query endpoint with a method other than POST
 *   400 InvalidFaultSettings            bad body for POST /_sandbox/faults
 *   404 NotFound                        unknown /_sandbox/* endpoint
 *   413 RequestEntityTooLarge           request body over 5 MB
 *   LRO InjectedOperationFailure        error of a long-running operation ended Failed by `failLro` (status URL
 *                                       body `error`; the Location URL answers it with HTTP 400)
 *   501 NotImplementedInSandbox         method/path ARM has but the sandbox does not model
 *   any failNext rules answer with the code the test chose (default by status, see faults.ts)
 */

export interface ErrorDetail {
  code: string;
  message: string;
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ArmError';
  }
}

export function errorBody(code: string, message: string, details: ErrorDetail[] = []): { error: { code: string; message: string; details?: ErrorDetail[] } } {
  return { error: { code, message, ...(details.length > 0 ? { details } : {}) } };
}

export function anotherOperationInProgress(id: string): ArmError {
  return new ArmError(409, 'AnotherOperationInProgress', `Another operation on this or dependent resource is in progress. To retry later, see https://aka.ms/arm-retry (${id}).`);
}

export function resourceNotFound(id: string, typeName: string, name: string, resourceGroup?: string): ArmError {
  const where = resourceGroup ? ` under resource group '${resourceGroup}'` : '';
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${typeName}/${name}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix (id: ${id})`,
  );
}

export function resourceGroupNotFound(name: string): ArmError {
  return new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

export function subscriptionNotFound(id: string): ArmError {
  return new ArmError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);
}

export function authorizationFailed(principal: string, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'AuthorizationFailed',
    `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export function linkedAuthorizationFailed(principal: string, action: string, scope: string): ArmError {
  return new ArmError(
    403,
    'LinkedAuthorizationFailed',
    `The client '${principal}' with object id '${principal}' has permission to perform the requested action but does not have permission to perform action(s) '${action}' on the linked scope(s) '${scope}' or the linked scope(s) are invalid.`,
  );
}

export function notImplemented(method: string, path: string): ArmError {
  return new ArmError(501, 'NotImplementedInSandbox', `The sandbox does not model ${method} ${path}.`);
}
