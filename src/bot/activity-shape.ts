/**
 * Pure: is a parsed request body an activity the bot can take? Null, or a short reason naming the field.
 * Checked before authentication and before any SDK code sees the body, so that a malformed activity is a 400,
 * never a failed turn. Only the fields the adapter, the SDK and the routes read are checked; `value` may be any
 * JSON. An optional field that is null counts as absent.
 */

/** Deeper JSON is refused: JSON.stringify and other recursive code would overflow the stack on it. */
export const MAX_ACTIVITY_DEPTH = 32;

/** Own keys that recursive merges turn into prototype writes. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

type Check = (value: unknown, path: string) => string | null;
interface Field {
  check: Check;
  required: boolean;
}

const required = (check: Check): Field => ({ check, required: true });
const optional = (check: Check): Field => ({ check, required: false });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const string: Check = (value, path) => (typeof value === 'string' ? null : `${path} must be a string.`);

const nonEmptyString: Check = (value, path) => (typeof value === 'string' && value !== '' ? null : `${path} must be a non-empty string.`);

const httpUrl: Check = (value, path) => {
  const problem = `${path} must be an http(s) URL.`;
  if (typeof value !== 'string') return problem;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? null : problem;
  } catch {
    return problem;
  }
};

function objectOf(fields: Record<string, Field>): Check {
  return (value, path) => {
    if (!isObject(value)) return `${path} must be an object.`;
    for (const [name, field] of Object.entries(fields)) {
      const inner = value[name];
      const innerPath = path ? `${path}.${name}` : name;
      if (inner === undefined || inner === null) {
        if (field.required) return `${innerPath} is required.`;
        continue;
      }
      const problem = field.check(inner, innerPath);
      if (problem) return problem;
    }
    return null;
  };
}

const arrayOfObjects: Check = (value, path) => {
  if (!Array.isArray(value)) return `${path} must be an array.`;
  const at = value.findIndex((item) => !isObject(item));
  return at === -1 ? null : `${path}[${at}] must be an object.`;
};

const withId = objectOf({ id: optional(string) });

const activity = objectOf({
  type: required(nonEmptyString),
  serviceUrl: required(httpUrl),
  channelId: required(nonEmptyString),
  from: required(objectOf({ id: required(nonEmptyString), aadObjectId: optional(string), name: optional(string) })),
  recipient: required(objectOf({ id: required(nonEmptyString) })),
  conversation: required(objectOf({ id: required(nonEmptyString), tenantId: optional(string), conversationType: optional(string) })),
  id: optional(string),
  name: optional(string),
  text: optional(string),
  replyToId: optional(string),
  locale: optional(string),
  timestamp: optional(string),
  attachments: optional(arrayOfObjects),
  entities: optional(arrayOfObjects),
  membersAdded: optional(arrayOfObjects),
  membersRemoved: optional(arrayOfObjects),
  channelData: optional(objectOf({ tenant: optional(withId), team: optional(withId), channel: optional(withId) })),
});

/** Depth and forbidden keys, over the whole body, without recursion. */
function structureProblem(body: unknown): string | null {
  const pending: { value: unknown; depth: number; field: string }[] = [{ value: body, depth: 1, field: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth, field } = next;
    if (typeof value !== 'object' || value === null) continue;
    const where = field ? `${field} ` : 'The activity ';
    if (depth > MAX_ACTIVITY_DEPTH) return `${where}nests deeper than ${MAX_ACTIVITY_DEPTH} levels.`;
    for (const [key, inner] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${field ? `${field} has` : 'The activity has'} a key "${key}", which is not accepted.`;
      pending.push({ value: inner, depth: depth + 1, field: field || key });
    }
  }
  return null;
}

export function activityShapeProblem(body: unknown): string | null {
  if (!isObject(body)) return 'The body must be a Bot Framework activity (a JSON object with type, serviceUrl, from, recipient and conversation).';
  return structureProblem(body) ?? activity(body, '');
}
