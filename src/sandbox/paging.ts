/** ARM paging: `{ value, nextLink }`, nextLink absolute on the sandbox with `$skiptoken` and the same query. */
import type { RequestContext } from './context.js';
import { ArmError } from './errors.js';
import type { Reply } from './http.js';

/** `render` turns the stored items of the page being served into what the client sees. */
export function pageOf<T>(ctx: RequestContext, items: T[], render: (item: T) => unknown = (item) => item): Reply {
  const raw = ctx.query.get('$skiptoken') ?? ctx.query.get('$skipToken');
  let offset = 0;
  if (raw !== null) {
    if (!/^\d+$/.test(raw)) throw new ArmError(400, 'InvalidSkipToken', `The $skiptoken '${raw}' is not valid.`);
    offset = Number(raw);
  }
  const size = ctx.state.faults.knobs.pageSize;
  const value = items.slice(offset, offset + size).map(render);
  const body: { value: unknown[]; nextLink?: string } = { value };
  if (offset + size < items.length) {
    const next = new URL(ctx.state.baseUrl + ctx.path.split('/').map(encodeURIComponent).join('/'));
    for (const [k, v] of ctx.query) if (k.toLowerCase() !== '$skiptoken') next.searchParams.append(k, v);
    next.searchParams.set('$skiptoken', String(offset + size));
    body.nextLink = next.toString();
  }
  return { status: 200, body };
}
