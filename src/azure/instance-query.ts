/**
 * The Azure Resource Graph query text the bot sends to find API Management instances (pure: no I/O). The sandbox
 * parses exactly this shape, so the text is the contract between the two: change one, change the other.
 *
 *   resources | where type =~ 'microsoft.apimanagement/service' [| where name =~ '<name>'] | project <INSTANCE_COLUMNS>
 */

export const APIM_RESOURCE_TYPE = 'microsoft.apimanagement/service';

/** What each row carries: enough to shape it like the SDK's ApiManagementServiceResource (graph-rows.ts). */
export const INSTANCE_COLUMNS = ['id', 'name', 'type', 'location', 'resourceGroup', 'subscriptionId', 'sku', 'properties', 'tags'] as const;

/** Characters no instance name can hold and that a query must not carry: control characters (a line break included). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * A KQL string literal for `value`: single-quoted, with `\` and `'` escaped by a backslash, so that no text can end
 * the literal early. Control characters are refused (RangeError): the caller says the name is not one.
 */
export function kqlString(value: string): string {
  if (hasControlCharacters(value)) throw new RangeError('a KQL string literal here takes no control characters');
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** Every instance the identity can read, or (with `name`) those of that name, ignoring case. */
export function instancesQuery(name: string | null = null): string {
  const parts = ['resources', `where type =~ ${kqlString(APIM_RESOURCE_TYPE)}`];
  if (name !== null) parts.push(`where name =~ ${kqlString(name)}`);
  parts.push(`project ${INSTANCE_COLUMNS.join(', ')}`);
  return parts.join(' | ');
}
