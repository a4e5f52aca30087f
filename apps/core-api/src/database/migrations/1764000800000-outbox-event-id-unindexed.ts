import { OUTBOX_ADD_EVENT_ID_KEY, OUTBOX_DROP_EVENT_ID_KEY } from '@chairbook/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox's event_id is no longer a unique key (see OUTBOX_DROP_EVENT_ID_KEY). */
export class OutboxEventIdUnindexed1764000800000 implements MigrationInterface {
  name = 'OutboxEventIdUnindexed1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_DROP_EVENT_ID_KEY);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_ADD_EVENT_ID_KEY);
  }
}
