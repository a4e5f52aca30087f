import { randomUUID } from 'node:crypto';
import { eventCatalog, EventData, EventType, isEventType } from './catalog';
import { eventEnvelopeSchema } from './envelope';

export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  businessId: string;
  branchId: string | null;
  data: EventData<T>;
}

/** Thrown when a message does not honour its contract; consumers dead-letter it. */
export class EventContractError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'EventContractError';
  }
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

export interface EventMeta {
  businessId: string;
  branchId?: string | null;
  occurredAt?: Date;
  id?: string;
}

/** Builds an event and validates it against its contract, so nothing invalid is ever published. */
export function createEvent<T extends EventType>(type: T, data: EventData<T>, meta: EventMeta): DomainEvent<T> {
  const entry = eventCatalog[type];
  const parsed = entry.schema.safeParse(data);
  if (!parsed.success) {
    throw new EventContractError(`invalid data for ${type}`, describeIssues(parsed.error));
  }
  return {
    id: meta.id ?? randomUUID(),
    type,
    version: entry.version,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    businessId: meta.businessId,
    branchId: meta.branchId ?? null,
    data: parsed.data as EventData<T>,
  };
}

/** Validates a received message (already JSON-decoded) against the envelope and its type's schema. */
export function parseEvent(raw: unknown): DomainEvent {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new EventContractError('malformed event envelope', describeIssues(envelope.error));
  }
  const { type, version } = envelope.data;
  if (!isEventType(type)) {
    throw new EventContractError(`unknown event type ${type}`);
  }
  const entry = eventCatalog[type];
  if (version !== entry.version) {
    throw new EventContractError(`unsupported version ${version} of ${type} (expected ${entry.version})`);
  }
  const data = entry.schema.safeParse(envelope.data.data);
  if (!data.success) {
    throw new EventContractError(`invalid data for ${type}`, describeIssues(data.error));
  }
  return { ...envelope.data, type, data: data.data } as DomainEvent;
}

/** Narrowing helper for handlers: `if (isEvent(e, 'appointment.booked')) e.data.startTime`. */
export function isEvent<T extends EventType>(event: DomainEvent, type: T): event is DomainEvent<T> {
  return event.type === type;
}
