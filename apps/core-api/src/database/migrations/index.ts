import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Scheduling1764000300000 } from './1764000300000-scheduling';
import { Retail1764000500000 } from './1764000500000-retail';
import { ReportIndexes1764000500100 } from './1764000500100-report-indexes';
import { RateLimitWindow1764000600000 } from './1764000600000-rate-limit-window';
import { CalendarVersion1764000700000 } from './1764000700000-calendar-version';
import { OutboxEventIdUnindexed1764000800000 } from './1764000800000-outbox-event-id-unindexed';
import { OutboxDeleteOnPublish1764000900000 } from './1764000900000-outbox-delete-on-publish';

/** Every migration, in order. Listed as classes (not globs) so the bundled app finds them. */
export const coreMigrations = [
  InitialSchema1764000000000,
  Scheduling1764000300000,
  Retail1764000500000,
  ReportIndexes1764000500100,
  RateLimitWindow1764000600000,
  CalendarVersion1764000700000,
  OutboxEventIdUnindexed1764000800000,
  OutboxDeleteOnPublish1764000900000,
];
