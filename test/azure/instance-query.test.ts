/** The query text the bot sends to Resource Graph, and its string escaping: every text round-trips through the sandbox's parser. */
import { describe, expect, it } from 'vitest';
import { hasControlCharacters, instancesQuery, INSTANCE_COLUMNS, kqlString } from '../../src/azure/instance-query.js';
import { parseResourceGraphQuery } from '../../src/sandbox/resource-graph-query.js';
import { mulberry32 } from '../../src/sandbox/prng.js';

describe('kqlString', () => {
  it.each([
    ['contoso-apim', "'contoso-apim'"],
    ['', "''"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'", "'\\\\\\''"],
    ['"double"', `'"double"'`],
    ['| project id', "'| project id'"],
    ['ünïcødé ☃', "'ünïcødé ☃'"],
  ])('%j -> %s', (value, literal) => {
    expect(kqlString(value)).toBe(literal);
  });

  it.each(['a\nb', 'a\rb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u2028b'])('refuses control characters (%j)', (value) => {
    expect(hasControlCharacters(value)).toBe(true);
    expect(() => kqlString(value)).toThrow(RangeError);
  });
});

describe('instancesQuery', () => {
  it('names the type, then the name, then the columns', () => {
    expect(instancesQuery('contoso-apim')).toBe(
      "resources | where type =~ 'microsoft.apimanagement/service' | where name =~ 'contoso-apim' | project id, name, type, location, resourceGroup, subscriptionId, sku, properties, tags",
    );
    expect(instancesQuery()).toBe("resources | where type =~ 'microsoft.apimanagement/service' | project id, name, type, location, resourceGroup, subscriptionId, sku, properties, tags");
  });

  it('every name it can take comes back out of the sandbox parser as it went in (random printable text, quotes and backslashes included)', () => {
    const random = mulberry32(7);
    const alphabet = "ab-Z09'\"\\| ,=~()_.é☃";
    for (let n = 0; n < 2_000; n++) {
      const name = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(parseResourceGraphQuery(instancesQuery(name))).toEqual({ type: 'microsoft.apimanagement/service', name, columns: [...INSTANCE_COLUMNS] });
    }
    expect(parseResourceGraphQuery(instancesQuery(null)).name).toBeNull();
  });
});
