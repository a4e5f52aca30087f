import { outboxDeleteOnPublish, outboxMarkOnPublish } from '@chairbook/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The relay deletes what it published instead of marking it (see outboxDeleteOnPublish). */
export class OutboxDeleteOnPublish1764000900000 implements MigrationInterface {
  name = 'OutboxDeleteOnPublish1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await outboxDeleteOnPublish(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await outboxMarkOnPublish(q);
  }
}
