import { broadcastBindings, isEvent, parseEvent } from '@chairbook/contracts';
import { LOGGER, RabbitMqClient } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { BasicAuthGuard } from '../auth/basic-auth.guard';

/**
 * Every copy of core-api keeps a short-lived cache of verified credentials. When a user's
 * password, role or status changes, each copy hears it on its own temporary queue and forgets
 * that user, so the old credential stops working everywhere within moments (not after the TTL).
 */
@Injectable()
export class CredentialsChangedListener implements OnApplicationBootstrap {
  constructor(
    private readonly broker: RabbitMqClient,
    private readonly auth: BasicAuthGuard,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.broker.subscribeBroadcast(
      broadcastBindings.credentialsChanged,
      async (message) => {
        try {
          const event = parseEvent(JSON.parse(message.content.toString('utf8')));
          if (isEvent(event, 'user.credentials_changed')) this.auth.cache.forgetUser(event.data.userId);
        } catch (err) {
          this.logger.warn({ err }, 'ignoring a malformed credentials broadcast');
        }
      },
      // While disconnected we may have missed a change: start again from an empty cache.
      { onResubscribed: () => this.auth.cache.clear() },
    );
  }
}
