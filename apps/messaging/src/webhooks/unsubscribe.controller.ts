import { OutboxRelay } from '@chairbook/platform';
import { Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { MessagingConfig } from '../config/messaging.config';
import { verifyUnsubscribeToken } from '../dispatch/unsubscribe-link';
import { recordOptOut } from './opt-outs';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head>` +
  `<body style="font-family:Helvetica,Arial,sans-serif;max-width:480px;margin:48px auto;padding:0 16px;line-height:1.5"><h1 style="font-size:22px">${title}</h1>${body}</body></html>`;

/**
 * The unsubscribe link in marketing email. GET shows a page with a button (link scanners
 * follow GETs, so a GET alone never unsubscribes); POST unsubscribes, both from that button
 * and as RFC 8058's one-click request (`List-Unsubscribe=One-Click`) that mail apps send.
 */
@ApiTags('unsubscribe')
@Controller('messaging/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
    private readonly relay: OutboxRelay,
  ) {}

  @Get(':token')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Confirmation page for an email unsubscribe link' })
  confirm(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    if (!verifyUnsubscribeToken(this.config.linkSigningSecret, token)) {
      void reply.status(404);
      return page('Link not valid', '<p>This unsubscribe link is not valid. Reply to the email to ask the salon to stop sending.</p>');
    }
    return page(
      'Unsubscribe',
      `<p>Stop receiving marketing emails from this salon? You will still get messages about your appointments.</p>` +
        `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:16px;padding:10px 20px">Unsubscribe</button></form>`,
    );
  }

  @Post(':token')
  @HttpCode(200)
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Unsubscribe (form button or RFC 8058 one-click POST)' })
  async unsubscribe(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const claims = verifyUnsubscribeToken(this.config.linkSigningSecret, token);
    if (!claims) {
      void reply.status(404);
      return page('Link not valid', '<p>This unsubscribe link is not valid.</p>');
    }
    await this.dataSource.transaction((m) =>
      recordOptOut(m, {
        channel: 'EMAIL',
        address: claims.email.toLowerCase(),
        optOut: true,
        source: 'EMAIL_UNSUBSCRIBE',
        keyword: null,
        scope: claims.businessId,
        businessIds: [claims.businessId],
      }),
    );
    this.relay.wake();
    return page("You're unsubscribed", '<p>You will not receive marketing emails from this salon any more. Messages about your appointments still reach you.</p>');
  }
}
