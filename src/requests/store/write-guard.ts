/** What the file store asks before every write it makes to DATA_DIR. */
export interface WriteGuard {
  /** Throws (STORE_LEASE_LOST) when this process may no longer write to the folder; nothing is written then. */
  assertHeld(): Promise<void>;
}

/** For file stores opened without the DATA_DIR lease: readers (the audit export) and tests. */
export const UNGUARDED: WriteGuard = { assertHeld: async () => undefined };
