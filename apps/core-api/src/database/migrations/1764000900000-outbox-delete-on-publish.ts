import { OUTBOX_DELETE_ON_PUBLISH, OUTBOX_DELETE_PUBLISHED_BATCH, OUTBOX_MARK_ON_PUBLISH } from '@chairbook/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The relay deletes what it published instead of marking it (see OUTBOX_DELETE_ON_PUBLISH). */
export class OutboxDeleteOnPublish1764000900000 implements MigrationInterface {
  name = 'OutboxDeleteOnPublish1764000900000';

  async up(q: QueryRunner): Promise<void> {
    for (;;) {
      const result: { affectedRows?: number } = await q.query(OUTBOX_DELETE_PUBLISHED_BATCH);
      if (!result.affectedRows) break;
    }
    await q.query(OUTBOX_DELETE_ON_PUBLISH);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(OUTBOX_MARK_ON_PUBLISH);
  }
}
