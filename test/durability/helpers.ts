/** Counting what reached ARM, and sorting decision clicks into the one that won and the ones told they lost. */
import { type HttpResult, invokeCard, textOf } from '../support/index.js';

export interface SandboxRequest {
  method: string;
  path: string;
  status: number;
}

export async function sandboxRequests(sandboxUrl: string): Promise<SandboxRequest[]> {
  return (await (await fetch(`${sandboxUrl}/_sandbox/requests`)).json()) as SandboxRequest[];
}

/** PATCH requests on the instance that ARM accepted (2xx): the updates that really happened. */
export async function acceptedPatches(sandboxUrl: string, instanceName: string): Promise<number> {
  return (await sandboxRequests(sandboxUrl)).filter(
    (r) => r.method === 'PATCH' && r.status >= 200 && r.status < 300 && r.path.toLowerCase().split('?')[0]!.endsWith(`/service/${instanceName}`),
  ).length;
}

/** The invoke answers: the winner shows the card without a notice; every loser is told the request was already decided. */
export function decisionTexts(results: HttpResult[]): { winners: string[]; losers: string[] } {
  const texts = results.map((r) => textOf(invokeCard(r)));
  return { winners: texts.filter((t) => !/already/i.test(t)), losers: texts.filter((t) => /already/i.test(t)) };
}
