/** Where a record that cannot be read is kept, in both stores: `quarantine/<its name in the store>.<time>[-n]`. Pure. */
export const QUARANTINE_FOLDER = 'quarantine';

/** `attempt` > 0 gives another name for the same record and time, when that one is taken. */
export function quarantineName(name: string, at: Date, attempt = 0): string {
  const time = at.toISOString().replace(/:/g, '-');
  return `${QUARANTINE_FOLDER}/${name}.${time}${attempt > 0 ? `-${attempt}` : ''}`;
}
