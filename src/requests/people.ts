/** Who a person is, compared the way the bot trusts: by Entra object id, else by Teams id. Pure. */
import type { Person } from './request.js';

export function isApprover(approverIds: readonly string[], person: Person): boolean {
  const id = person.aadObjectId?.toLowerCase();
  return id !== undefined && approverIds.some((a) => a.toLowerCase() === id);
}

export function isSamePerson(a: Person, b: Person): boolean {
  if (a.aadObjectId && b.aadObjectId) return a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
  return a.teamsId !== '' && a.teamsId === b.teamsId;
}
