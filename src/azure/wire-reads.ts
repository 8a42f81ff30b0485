import type { Pipeline, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { createPipelineRequest, RestError } from './sdk.js';

/**
 * GET and paged lists sent through an SDK client's own pipeline (auth, retries with Retry-After, timeout,
 * logging), returning ARM's JSON as it travels. Used for the large network lists, where the SDK's model
 * mapping costs more than everything else in a check; the JSON is mapped straight to facts instead.
 */
export interface WireClient {
  pipeline: Pipeline;
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

export async function getWire<T>(client: WireClient, url: string): Promise<T> {
  return (await send(client, url)) as T;
}

/**
 * Every item of a paged ARM list, page by page, following `nextLink`. The next page is requested before the
 * current one is handed over, so the caller's work on a page overlaps the wait for the next.
 */
export async function* listWire<T>(client: WireClient, url: string): AsyncGenerator<T[]> {
  let pending: Promise<Page<T>> | null = send(client, url) as Promise<Page<T>>;
  while (pending) {
    const page: Page<T> = await pending;
    pending = page.nextLink ? (send(client, page.nextLink) as Promise<Page<T>>) : null;
    pending?.catch(() => undefined);
    yield page.value ?? [];
  }
}

interface Page<T> {
  value?: T[];
  nextLink?: string | null;
}

async function send(client: WireClient, url: string): Promise<unknown> {
  const request = createPipelineRequest({ url, method: 'GET', allowInsecureConnection: url.startsWith('http:') });
  const response = await client.sendRequest(request);
  // core-client's deserialization policy has already parsed a JSON body once: reuse it.
  const body = (response as PipelineResponse & { parsedBody?: unknown }).parsedBody ?? parse(response.bodyAsText);
  if (response.status >= 400) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    const restError = new RestError(error?.message ?? `ARM answered HTTP ${response.status}`, {
      code: error?.code,
      statusCode: response.status,
      request,
      response,
    });
    restError.details = body;
    throw restError;
  }
  return body;
}

function parse(text: string | undefined | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
