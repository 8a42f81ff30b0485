/** ARM writes among the sandbox's logged requests: every method but GET, except Resource Graph's query (a read sent as POST). */
export function isArmWrite(request: { method: string; path: string }): boolean {
  return request.method !== 'GET' && !/\/providers\/microsoft\.resourcegraph\/resources(\?|$)/i.test(request.path);
}
