/** The Storage rule as the bot wrote it into requests until 2026-11, before the dependencies were configuration. */
export const LEGACY_STORAGE_RULE = {
  name: 'AllowApimStorageOutbound',
  description: 'API Management v2 outbound VNet integration needs TCP 443 to Azure Storage.',
  protocol: 'Tcp',
  sourcePortRange: '*',
  destinationPortRange: '443',
  sourceAddressPrefix: 'VirtualNetwork',
  destinationAddressPrefix: 'Storage',
  access: 'Allow',
  priority: 100,
  direction: 'Outbound',
};
