/** Azurite for the blob-store tests: started by the test run itself (one per suite), stopped by its pid. */
import { randomUUID } from 'node:crypto';
export { startAzurite, type RunningAzurite } from '../../bench/azurite.js';

/** A fresh container name, so suites sharing one Azurite never see each other's records. */
export function uniqueContainer(prefix = 'test'): string {
  return `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}
