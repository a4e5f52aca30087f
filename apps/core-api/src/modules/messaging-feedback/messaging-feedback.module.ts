import { Module } from '@nestjs/common';
import { MessagingFeedbackConsumer } from './messaging-feedback.consumer';

/** Consumes messaging's events (opt-outs) from the core-api.messaging-events queue. */
@Module({ providers: [MessagingFeedbackConsumer] })
export class MessagingFeedbackModule {}
