import { DomainEvent } from '@chairbook/contracts';
import { appendToOutbox, outboxInsert, OutboxRelay, type Statement } from '@chairbook/platform';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The one way core-api emits domain events: they join the caller's transaction through the
 * outbox, and the relay is nudged so they leave within milliseconds of the commit.
 */
@Injectable()
export class DomainEvents {
  constructor(@Optional() @Inject(OutboxRelay) private readonly relay?: OutboxRelay) {}

  /** Call inside the transaction that makes the change. */
  async record(manager: EntityManager, ...events: DomainEvent[]): Promise<void> {
    await appendToOutbox(manager, events);
  }

  /** The same as a statement, for a transaction sent in batches (BatchedTransaction); none for no events. */
  statement(...events: DomainEvent[]): Statement[] {
    const insert = outboxInsert(events);
    return insert ? [insert] : [];
  }

  /** Call after the transaction committed. */
  flush(): void {
    this.relay?.wake();
  }
}
