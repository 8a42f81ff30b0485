/**
 * One Azure Resource Graph query, every page of it: `POST /providers/Microsoft.ResourceGraph/resources` without
 * `subscriptions`, so it runs over every subscription the identity can read (Reader is enough), in the objectArray
 * result format, following `$skipToken` until Resource Graph sends none.
 */
import type { ArmClients } from './arm-clients.js';
import { rowsOfPage } from './graph-rows.js';

/** A guard against a server that keeps sending a skip token: 1,000 pages of 1,000 rows is a million instances. */
const MAX_PAGES = 1_000;

export async function queryResourceGraph(arm: ArmClients, query: string): Promise<unknown[]> {
  const client = arm.resourceGraph();
  const rows: unknown[] = [];
  let skipToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await client.resources({ query, options: { resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } });
    const page = rowsOfPage(response.data);
    if (!page) throw new Error('Resource Graph answered without a list of rows (objectArray).');
    rows.push(...page);
    if (!response.skipToken) return rows;
    if (response.skipToken === skipToken) throw new Error('Resource Graph sent the same $skipToken twice.');
    skipToken = response.skipToken;
  }
  throw new Error(`Resource Graph sent more than ${MAX_PAGES} pages for one query.`);
}
