import { InitialSchema1764000100000 } from './1764000100000-initial-schema';
import { MessagingSchema1764000200000 } from './1764000200000-messaging-schema';
import { OutboxEventIdUnindexed1764000300000 } from './1764000300000-outbox-event-id-unindexed';
import { OutboxDeleteOnPublish1764000400000 } from './1764000400000-outbox-delete-on-publish';

/** Every migration, in order, as classes so the bundled app finds them. */
export const messagingMigrations = [InitialSchema1764000100000, MessagingSchema1764000200000, OutboxEventIdUnindexed1764000300000, OutboxDeleteOnPublish1764000400000];
