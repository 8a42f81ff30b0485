/** The embedded ARM-compatible sandbox: public API. */
export { startSandbox } from './server.js';
export { loadSeedFile, validateSeed } from './seed.js';
export { defaultSeedPath, packageRoot } from './package-paths.js';
export type { SandboxOptions, RunningSandbox, SandboxSeed, ArmResource, SeedSubscription, ProviderRegistrationState, ResourceGraphMode } from './types.js';
export type { LoggedRequest } from './request-log.js';
export type { FailRule, Knobs } from './faults.js';
