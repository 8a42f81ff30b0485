/** The tests' doubles and fixtures, one import: `import { useBot, estate, ... } from '../support/index.js'`. */
export * from './app-registration.js';
export * from './arm-documents.js';
export * from './azurite.js';
export * from './bombs.js';
export * from './bot-client.js';
export * from './bot-harness.js';
export * from './clock.js';
export * from './config-problems.js';
export * from './estate.js';
export * from './fake-connector.js';
export * from './flows.js';
export * from './legacy-storage-rule.js';
export * from './people.js';
export * from './processes.js';
export * from './teams.js';
export * from './use-bot-processes.js';
export * from './use-bot.js';
