/** Polling endpoints of long-running operations (URLs handed out in Azure-AsyncOperation and Location). */
import type { RequestContext } from './context.js';
import { ArmError } from './errors.js';
import type { Reply } from './http.js';
import { lroHeaders, statusBody, type Operation } from './lro.js';

function findOperation(ctx: RequestContext, subscriptionId: string, id: string): Operation {
  const op = ctx.state.ops.get(id);
  if (!op || op.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) {
    throw new ArmError(404, 'ResourceNotFound', `The operation '${id}' was not found.`);
  }
  return op;
}

/** GET …/locations/{loc}/{operations|operationsStatus|operationStatuses|asyncOperations}/{id} */
export function operationStatus(ctx: RequestContext, subscriptionId: string, id: string): Reply {
  const op = findOperation(ctx, subscriptionId, id);
  const headers = op.status === 'InProgress' ? { 'Retry-After': lroHeaders(ctx.state.baseUrl, op, ctx.now, false)['Retry-After'] ?? '0' } : undefined;
  return { status: 200, body: statusBody(op), ...(headers ? { headers } : {}) };
}

/** GET …/locations/{loc}/operationResults/{id}: 202 while running, the resource when done, the error when failed. */
export function operationResult(ctx: RequestContext, subscriptionId: string, id: string): Reply {
  const op = findOperation(ctx, subscriptionId, id);
  if (op.status === 'InProgress') {
    const h = lroHeaders(ctx.state.baseUrl, op, ctx.now, true);
    return { status: 202, headers: { Location: h['Location'] ?? '', 'Retry-After': h['Retry-After'] ?? '0' } };
  }
  if (op.status === 'Failed') {
    const error = op.error ?? { code: 'InternalServerError', message: 'The operation failed.' };
    return { status: 400, body: { error } };
  }
  const doc = ctx.state.store.get(op.resourceId);
  return doc ? { status: 200, body: doc } : { status: 204 };
}
