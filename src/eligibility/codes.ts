/** Stable finding codes: code branches on these, people read the messages. Documented in the README. */
export enum FindingCode {
  /** Instance: the tier is not Standard v2 or Premium v2 (blocking). */
  SKU_NOT_SUPPORTED = 'SKU_NOT_SUPPORTED',
  /** Instance: injected into a VNet (classic tier External/Internal, Premium v2 Internal or on a hostingEnvironments subnet); cannot switch to integration (blocking). */
  INJECTION_CONFIGURED = 'INJECTION_CONFIGURED',
  /** Instance: provisioningState is not Succeeded, an update would get 409 (blocking, retry later). */
  INSTANCE_BUSY = 'INSTANCE_BUSY',
  /** Instance, and its current subnet: already integrated with a subnet (info). */
  ALREADY_INTEGRATED = 'ALREADY_INTEGRATED',
  /** Instance: Microsoft.Web is not registered: fixable when the bot may register it, else blocking (the message names the missing Microsoft.Web/register/action). */
  PROVIDER_NOT_REGISTERED = 'PROVIDER_NOT_REGISTERED',
  /** Instance: the bot lacks Microsoft.ApiManagement/service/write (blocking). */
  BOT_CANNOT_WRITE_INSTANCE = 'BOT_CANNOT_WRITE_INSTANCE',
  /** Instance: the requester lacks Microsoft.ApiManagement/service/write (blocking; warning when advisory). */
  REQUESTER_CANNOT_WRITE_INSTANCE = 'REQUESTER_CANNOT_WRITE_INSTANCE',
  /** Subnet: the VNet is in another region than the instance (blocking). */
  REGION_MISMATCH = 'REGION_MISMATCH',
  /** Subnet: the VNet is in another subscription than the instance (blocking). */
  SUBSCRIPTION_MISMATCH = 'SUBSCRIPTION_MISMATCH',
  /** Subnet: smaller than the minimum size, or no IPv4 prefix (blocking). */
  SUBNET_TOO_SMALL = 'SUBNET_TOO_SMALL',
  /** Subnet: at least the minimum but smaller than the recommended size (warning). */
  SUBNET_BELOW_RECOMMENDED = 'SUBNET_BELOW_RECOMMENDED',
  /** Subnet: used by NICs, private endpoints or another service's links (blocking). */
  SUBNET_IN_USE = 'SUBNET_IN_USE',
  /** Subnet: linked to another API Management instance (blocking). */
  SUBNET_USED_BY_OTHER_APIM = 'SUBNET_USED_BY_OTHER_APIM',
  /** Subnet: not delegated; fixable while the subnet is empty and the bot may write it, else blocking (the message says which: in use, or the bot lacks subnets/write). */
  DELEGATION_MISSING = 'DELEGATION_MISSING',
  /** Subnet: delegated to something other than Microsoft.Web/serverFarms (blocking). */
  DELEGATION_WRONG = 'DELEGATION_WRONG',
  /** Subnet: no network security group associated (blocking). */
  NSG_MISSING = 'NSG_MISSING',
  /** Subnet: an outbound NSG rule denies TCP 443 to a required dependency first; `details.tag` names it (blocking). */
  NSG_BLOCKS_DEPENDENCY = 'NSG_BLOCKS_DEPENDENCY',
  /** Subnet: a required dependency on 443 is allowed only by a default rule, may be denied by a rule that cannot be judged, or the NSG could not be read; `details.tag` (warning). */
  NSG_DEPENDENCY_NOT_EXPLICIT = 'NSG_DEPENDENCY_NOT_EXPLICIT',
  /** Subnet: an outbound NSG rule denies TCP 443 to a tag once documented as a dependency (OPTIONAL_OUTBOUND_DEPENDENCIES); `details.tag` (warning). */
  NSG_BLOCKS_OPTIONAL_DEPENDENCY = 'NSG_BLOCKS_OPTIONAL_DEPENDENCY',
  /** Subnet: the requester lacks VNet read, subnet read or subnet join (blocking; warning when advisory). */
  REQUESTER_PERMISSION_MISSING = 'REQUESTER_PERMISSION_MISSING',
  /** Subnet: the bot lacks a right the integration itself needs, VNet/subnet read or subnet join (blocking). A fix it may not make keeps its problem's code instead. */
  BOT_PERMISSION_MISSING = 'BOT_PERMISSION_MISSING',
  /** Subnet: its route table sends 0.0.0.0/0 to a virtual appliance or a VNet gateway; the firewall must let the dependencies through (warning). */
  ROUTE_FORCED_TUNNELING = 'ROUTE_FORCED_TUNNELING',
  /** Subnet: its route table could not be read, so forced tunnelling could not be checked (warning). */
  ROUTE_TABLE_NOT_READ = 'ROUTE_TABLE_NOT_READ',
  /** Subnet: a NAT gateway is attached; calls to public backends leave from its public address (info). */
  NAT_GATEWAY_ATTACHED = 'NAT_GATEWAY_ATTACHED',
  /** Subnet: too small for the instance at its tier's maximum scale (derived from the VNet-injection figures; warning). */
  SUBNET_BELOW_MAX_SCALE = 'SUBNET_BELOW_MAX_SCALE',
}

export type Severity = 'blocking' | 'fixable' | 'warning' | 'info';
