/**
 * Runs `work` on every item with at most `limit` running at once; results in input order. After a failure no further
 * item is started (those already running finish) and the first failure is thrown. A slot is held for as long as its
 * `work` runs, waits included (an ARM call waiting out Retry-After keeps its slot), so never more than `limit` run.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`mapLimit needs a whole limit of 1 or more, not ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
