import { Global, Module } from '@nestjs/common';
import { CoreApiAuthGuard } from './auth/core-api-auth.guard';
import { ReminderScheduler } from './bookings/reminder-scheduler';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { Dispatcher } from './dispatch/dispatcher';
import { MessagesController } from './dispatch/messages.controller';
import { SettingsController } from './settings/settings.controller';
import { UnsubscribeController } from './webhooks/unsubscribe.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Sending (dispatcher, reminders, campaigns) and the routes salons, providers and clients call. */
@Global()
@Module({
  controllers: [SettingsController, CampaignsController, MessagesController, WebhooksController, UnsubscribeController],
  providers: [Dispatcher, ReminderScheduler, CampaignsService, CoreApiAuthGuard],
  exports: [Dispatcher, CoreApiAuthGuard],
})
export class MessagingModule {}
