import type { ArmClients } from '../azure/arm-clients.js';
import type { Config } from '../config.js';
import type { GroupDirectory } from '../directory/group-membership.js';
import type { Logger } from '../log.js';
import type { Stores } from '../requests/store/index.js';

/** What the bot's routes need, built once by the composition root. */
export interface BotDeps {
  config: Config;
  arm: ArmClients;
  stores: Stores;
  logger: Logger;
  clock: () => Date;
  /** This process, as owner of the leases on the requests it applies. */
  owner: string;
  /** Who is a member of which approver group (Microsoft Graph, or the sandbox standing in for it). */
  directory: GroupDirectory;
}
