/** What carrying out a request needs from the process: ARM, the stores, the settings and this process's lease. */
import type { ArmClients } from '../azure/arm-clients.js';
import type { EligibilitySettings } from '../eligibility/facts.js';
import type { Logger } from '../log.js';
import type { IntegrationRequest } from '../requests/request.js';
import type { AuditLog, RequestStore } from '../requests/store/index.js';

export interface ApplyDeps {
  arm: ArmClients;
  requests: RequestStore;
  audit: AuditLog;
  eligibility: EligibilitySettings;
  pollIntervalMs: number;
  clock: () => Date;
  logger: Logger;
  /** This process, as lease owner. */
  owner: string;
  leaseSeconds: number;
  /** The store has one process only (the file store): a lease held by another owner is a dead process's. */
  exclusiveStore: boolean;
  deadlineMinutes: number;
  /** Aborted when the process shuts down: the work stops and the lease is handed back for another process. */
  signal?: AbortSignal;
  /** Called after every stored change with the stored request (to update cards); its failures are logged, not fatal. */
  onChange: (request: IntegrationRequest) => Promise<void>;
}
