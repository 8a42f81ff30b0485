import type { InstanceFacts } from '../eligibility/facts.js';
import type { InstanceSummary } from './request.js';

export function instanceSummary(instance: InstanceFacts): InstanceSummary {
  return {
    id: instance.id,
    name: instance.name,
    subscriptionId: instance.subscriptionId,
    resourceGroup: instance.resourceGroup,
    location: instance.location,
    skuName: instance.skuName,
    virtualNetworkType: instance.virtualNetworkType,
    subnetResourceId: instance.subnetResourceId,
  };
}
