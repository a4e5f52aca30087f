import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request id follows a unit of work across HTTP and RabbitMQ hops: taken from the
 * incoming `x-request-id` header (or a message's header), put on every log line and on every
 * message published while handling it.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Accepts a caller's id only when it looks like one, so log lines cannot be forged or bloated. */
export function requestIdFrom(header: unknown): string {
  if (typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header)) return header;
  return randomUUID();
}
