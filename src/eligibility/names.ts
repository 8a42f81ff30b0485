/**
 * Names of what the bot creates (subnets, network security groups, security rules), from a configurable
 * pattern, made valid for ARM and unique among the names already taken. Pure.
 *
 * ARM's rule for these three kinds: 1 to 80 characters of letters, digits, `_`, `.` and `-`; starting with a
 * letter or digit; ending with a letter, digit or `_`. Names are compared case-insensitively.
 */

export const MAX_NAME_LENGTH = 80;

/** The placeholder a pattern may contain; replaced by the instance's name. */
export const INSTANCE_PLACEHOLDER = '<instance>';

/**
 * Expands `<instance>` (case-insensitive) in `pattern`, then makes the result a valid ARM name: other
 * characters become `-`, leading characters that are not letters or digits and trailing `.`/`-` are dropped,
 * and the result is cut to 80 characters. Returns `fallback` when nothing valid is left.
 */
export function nameFromPattern(pattern: string, instanceName: string, fallback: string): string {
  const expanded = pattern.replace(/<instance>/gi, instanceName);
  return validName(expanded) ?? validName(fallback) ?? 'apim-outbound';
}

/** A valid ARM name from `text`, or null when nothing valid is left. */
export function validName(text: string): string | null {
  let name = text.trim().replace(/[^A-Za-z0-9_.-]/g, '-');
  name = name.replace(/^[^A-Za-z0-9]+/, '');
  name = trimEnd(name.slice(0, MAX_NAME_LENGTH));
  return name === '' ? null : name;
}

/**
 * `base` when no name in `taken` equals it (case-insensitively), else `base-2`, `base-3`, … (the base is
 * shortened when the suffix would pass 80 characters).
 */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set<string>();
  for (const name of taken) used.add(name.toLowerCase());
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const stem = trimEnd(base.slice(0, MAX_NAME_LENGTH - suffix.length)) || 'x';
    const candidate = `${stem}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

function trimEnd(name: string): string {
  return name.replace(/[.-]+$/, '');
}
