/**
 * The one shape of Resource Graph query the sandbox answers (pure: no I/O), the shape the bot sends:
 *
 *   resources | where type =~ '<type>' [| where name =~ '<name>'] | project <column>[, <column>…]
 *
 * Table name and keywords in any case (as KQL's are), whitespace anywhere between tokens, string literals in single or
 * double quotes with the escapes \\ \' \" \n \r \t. Column names are case-sensitive, as in KQL, and must be columns of
 * Resource Graph's `resources` table. Anything else is refused with a reason and the position (0-based) it was found at.
 * Only a string literal that is not closed, or an escape KQL does not have, is refused while reading the tokens.
 */

export interface ResourceGraphQuery {
  /** The resource type asked for, compared case-insensitively (`=~`). */
  type: string;
  /** The resource name asked for, compared case-insensitively; null = any. */
  name: string | null;
  columns: string[];
}

/** The columns of Resource Graph's `resources` table. */
export const RESOURCE_COLUMNS = ['id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy', 'sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation'] as const;

export class QueryShapeError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'QueryShapeError';
  }
}

type Token = { kind: 'word' | 'string' | 'pipe' | 'comma' | 'tildeEquals' | 'other' | 'end'; text: string; at: number };

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '|' || c === ',') {
      tokens.push({ kind: c === '|' ? 'pipe' : 'comma', text: c, at: i++ });
    } else if (c === '=' && query[i + 1] === '~') {
      tokens.push({ kind: 'tildeEquals', text: '=~', at: i });
      i += 2;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < query.length && /[A-Za-z0-9_]/.test(query[i] as string)) i++;
      tokens.push({ kind: 'word', text: query.slice(start, i), at: start });
    } else if (c === "'" || c === '"') {
      const start = i++;
      let value = '';
      for (;;) {
        const d = query[i];
        if (d === undefined) throw new QueryShapeError('a string literal is not closed', start);
        if (d === c) break;
        if (d === '\\') {
          const escaped = ESCAPES[query[i + 1] ?? ''];
          if (escaped === undefined) throw new QueryShapeError(`unknown escape \\${query[i + 1] ?? ''} in a string literal`, i);
          value += escaped;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', text: value, at: start });
      i++;
    } else {
      // Anything else (a number, a parenthesis, an operator of another shape) is one token the parser will refuse.
      tokens.push({ kind: 'other', text: c, at: i++ });
    }
  }
  tokens.push({ kind: 'end', text: '', at: query.length });
  return tokens;
}

export function parseResourceGraphQuery(query: string): ResourceGraphQuery {
  const tokens = tokenize(query);
  let i = 0;
  const peek = (): Token => tokens[i] as Token;
  const take = (kind: Token['kind'], what: string, word?: string): Token => {
    const t = peek();
    const matches = t.kind === kind && (word === undefined || t.text.toLowerCase() === word.toLowerCase());
    if (!matches) throw new QueryShapeError(`expected ${what}, found ${t.kind === 'end' ? 'the end of the query' : `'${t.text}'`}`, t.at);
    i++;
    return t;
  };
  const filter = (column: 'type' | 'name'): string => {
    take('word', "'where'", 'where');
    const named = take('word', `'${column}'`);
    if (named.text !== column) throw new QueryShapeError(`expected '${column}', found '${named.text}'`, named.at);
    take('tildeEquals', "'=~'");
    return take('string', 'a string literal').text;
  };

  take('word', "the table 'resources'", 'resources');
  take('pipe', "'|'");
  const type = filter('type');
  take('pipe', "'|'");
  let name: string | null = null;
  if (peek().kind === 'word' && peek().text.toLowerCase() === 'where') {
    name = filter('name');
    take('pipe', "'|'");
  }
  take('word', "'project'", 'project');
  const columns: string[] = [];
  for (;;) {
    const column = take('word', 'a column name');
    if (!(RESOURCE_COLUMNS as readonly string[]).includes(column.text)) throw new QueryShapeError(`'${column.text}' is not a column of the resources table`, column.at);
    if (columns.includes(column.text)) throw new QueryShapeError(`the column '${column.text}' is projected twice`, column.at);
    columns.push(column.text);
    if (peek().kind !== 'comma') break;
    i++;
  }
  take('end', 'the end of the query');
  return { type, name, columns };
}
