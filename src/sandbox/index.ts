/** The embedded ARM-compatible sandbox: public API. */
export { startSandbox } from './server.js';
export { loadSeedFile, validateSeed } from './seed.js';
export { sandboxCommand, parseSandboxArgs, defaultSeedPath, packageRoot, SANDBOX_USAGE, type SandboxCommandIo, type SandboxArgs } from './command.js';
export type { SandboxOptions, RunningSandbox, SandboxSeed, ArmResource, SeedSubscription, ProviderRegistrationState } from './types.js';
export type { LoggedRequest } from './request-log.js';
export type { FailRule, Knobs } from './faults.js';
