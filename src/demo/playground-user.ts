/**
 * PLAYGROUND_USER: the Playground acts as another of its users. Pure: the Playground configuration in, the same
 * with that user as `currentUser` (and the current one in their place among `users`, so the count stays) out.
 */
import { parse, stringify } from 'yaml';

interface PlaygroundPerson {
  id: string;
  name: string;
  aadObjectId: string;
}

/** `who`: an object id, or a first name ("dave" finds "Dave (network operator)"). */
export function withCurrentUser(yaml: string, who: string): { yaml: string } | { problem: string } {
  const doc = parse(yaml) as { currentUser?: PlaygroundPerson; users?: PlaygroundPerson[] } | null;
  const current = doc?.currentUser;
  const users = doc?.users ?? [];
  if (!doc || !current) return { problem: 'the Playground configuration has no currentUser.' };
  const wanted = who.trim().toLowerCase();
  const matches = (p: PlaygroundPerson) => p.aadObjectId?.toLowerCase() === wanted || p.name?.split(/[\s(]/)[0]?.toLowerCase() === wanted;
  if (matches(current)) return { yaml };
  const index = users.findIndex(matches);
  const chosen = users[index];
  if (!chosen) {
    const names = [current, ...users].map((p) => p.name?.split(/[\s(]/)[0]?.toLowerCase()).filter(Boolean);
    return { problem: `no such Playground user (say one of ${names.join(', ')}, or an object id).` };
  }
  const swapped = { ...doc, currentUser: chosen, users: users.map((p, i) => (i === index ? current : p)) };
  return { yaml: stringify(swapped) };
}
