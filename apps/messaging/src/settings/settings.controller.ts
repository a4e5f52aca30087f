import { ApiError } from '@chairbook/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CoreApiAuthGuard, MinRole } from '../auth/core-api-auth.guard';
import type { Channel } from '../channels/provider.types';
import { smsLength } from '../channels/sms/sms-segments';
import { MessagingConfig } from '../config/messaging.config';
import { bookingPageUrl } from '../bookings/booking-messages';
import { PLACEHOLDERS, TEMPLATE_KINDS, TemplateKind } from '../templates/default-templates';
import { emailHtml, localDateTime, renderTemplate, unknownPlaceholders } from '../templates/render';
import { effectiveTemplates } from '../templates/template-store';
import { BranchContext, BranchSettings, loadBranchContexts } from './branch-settings';
import { TemplateDto, TemplatePreviewDto, UpdateSettingsDto } from './settings.dto';

const CHANNELS: Channel[] = ['SMS', 'EMAIL'];

@ApiTags('settings and templates')
@ApiBasicAuth()
@UseGuards(CoreApiAuthGuard)
@Controller('messaging/business/:businessId/branch/:branchId')
export class SettingsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
  ) {}

  @Get('settings')
  @ApiOperation({ summary: "The branch's messaging settings (reminder times, quiet hours, SMS limit, countries)" })
  async getSettings(@Param('businessId') businessId: string, @Param('branchId') branchId: string) {
    return this.settingsView(await this.branch(businessId, branchId));
  }

  @Put('settings')
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Change some settings; fields not sent keep their value' })
  async putSettings(@Param('businessId') businessId: string, @Param('branchId') branchId: string, @Body() dto: UpdateSettingsDto) {
    const branch = await this.branch(businessId, branchId);
    const next: BranchSettings = { ...branch.settings, ...(dto as Partial<BranchSettings>) };
    next.reminderOffsetsMinutes = [...new Set(next.reminderOffsetsMinutes)].sort((a, b) => b - a);
    await this.dataSource.query(
      `INSERT INTO branch_settings (branch_id, business_id, settings, version, updated_at) VALUES (?, ?, ?, 1, NOW(3))
       ON DUPLICATE KEY UPDATE settings = VALUES(settings), version = version + 1, updated_at = NOW(3)`,
      [branchId, businessId, JSON.stringify(next)],
    );
    return this.settingsView(await this.branch(businessId, branchId));
  }

  @Get('templates')
  @ApiOperation({ summary: 'Every template (kind × channel) in effect, with the placeholders and SMS length' })
  async templates(@Param('businessId') businessId: string, @Param('branchId') branchId: string) {
    const branch = await this.branch(businessId, branchId);
    const lookup = await effectiveTemplates(this.dataSource.manager, branchId);
    return {
      placeholders: PLACEHOLDERS,
      templates: TEMPLATE_KINDS.flatMap((kind) =>
        CHANNELS.map((channel) => {
          const t = lookup(kind, channel);
          const sample = this.sample(branch, kind, channel, t);
          return { kind, channel, subject: t.subject, body: t.body, custom: t.custom, ...(channel === 'SMS' ? { sms: smsLength(sample.body) } : {}) };
        }),
      ),
    };
  }

  @Put('templates/:kind/:channel')
  @MinRole('MANAGER')
  @ApiOperation({ summary: "Replace the branch's template for a kind and channel" })
  async putTemplate(@Param('businessId') businessId: string, @Param('branchId') branchId: string, @Param('kind') kind: string, @Param('channel') channel: string, @Body() dto: TemplateDto) {
    await this.branch(businessId, branchId);
    const [k, c] = this.kindAndChannel(kind, channel);
    this.checkPlaceholders(dto.body, dto.subject);
    if (c === 'EMAIL' && !dto.subject) throw ApiError.badRequest('VALIDATION_FAILED', 'An email template needs a subject', [{ field: 'subject', message: 'required for EMAIL' }]);
    await this.dataSource.query(
      `INSERT INTO message_template (branch_id, kind, channel, business_id, subject, body, updated_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))
       ON DUPLICATE KEY UPDATE subject = VALUES(subject), body = VALUES(body), updated_at = NOW(3)`,
      [branchId, k, c, businessId, c === 'EMAIL' ? dto.subject : null, dto.body],
    );
    return (await this.templates(businessId, branchId)).templates.find((t) => t.kind === k && t.channel === c);
  }

  @Delete('templates/:kind/:channel')
  @HttpCode(204)
  @MinRole('MANAGER')
  @ApiOperation({ summary: 'Go back to the default template' })
  async deleteTemplate(@Param('businessId') businessId: string, @Param('branchId') branchId: string, @Param('kind') kind: string, @Param('channel') channel: string) {
    await this.branch(businessId, branchId);
    const [k, c] = this.kindAndChannel(kind, channel);
    await this.dataSource.query('DELETE FROM message_template WHERE branch_id = ? AND kind = ? AND channel = ?', [branchId, k, c]);
  }

  @Post('templates/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a template with sample data: text, HTML (email), SMS encoding and segments' })
  async preview(@Param('businessId') businessId: string, @Param('branchId') branchId: string, @Body() dto: TemplatePreviewDto) {
    const branch = await this.branch(businessId, branchId);
    this.checkPlaceholders(dto.body, dto.subject);
    const sample = this.sample(branch, dto.kind, dto.channel, { subject: dto.subject ?? null, body: dto.body });
    return dto.channel === 'SMS' ? { body: sample.body, sms: smsLength(sample.body) } : { subject: sample.subject, body: sample.body, html: emailHtml(sample.body, branch.salonName) };
  }

  private sample(branch: BranchContext, _kind: TemplateKind, channel: Channel, t: { subject: string | null; body: string }) {
    const start = new Date(Date.now() + 3 * 24 * 3600_000);
    start.setUTCHours(10, 0, 0, 0);
    const { date, time } = localDateTime(start, branch.timeZone, branch.settings.locale);
    const variables = {
      firstName: 'Alex',
      lastName: 'Byrne',
      salonName: branch.salonName,
      branchName: branch.branchName,
      date,
      time,
      staff: 'Ann',
      services: 'Cut and Blow-dry',
      manageLink: `${this.config.bookingPublicUrl.replace(/\/$/, '')}/book/manage/eyJib29raW5nSWQiOiJleGFtcGxlIn0.sample`,
      bookingLink: bookingPageUrl(this.config.bookingPublicUrl, branch.slug),
    };
    return { subject: channel === 'EMAIL' ? renderTemplate(t.subject ?? '', variables) : null, body: renderTemplate(t.body, variables) };
  }

  private settingsView(branch: BranchContext) {
    return { branchId: branch.branchId, timeZone: branch.timeZone, country: branch.country, ...branch.settings, version: branch.settingsVersion };
  }

  private kindAndChannel(kind: string, channel: string): [TemplateKind, Channel] {
    const k = kind.toUpperCase() as TemplateKind;
    const c = channel.toUpperCase() as Channel;
    if (!TEMPLATE_KINDS.includes(k) || !CHANNELS.includes(c)) throw ApiError.notFound('Template');
    return [k, c];
  }

  private checkPlaceholders(body: string, subject?: string) {
    const unknown = unknownPlaceholders(`${body} ${subject ?? ''}`, Object.keys(PLACEHOLDERS));
    if (unknown.length) {
      throw ApiError.badRequest('UNKNOWN_PLACEHOLDER', `Unknown placeholder(s): ${unknown.join(', ')}`, [{ field: 'body', message: `unknown placeholder(s): ${unknown.join(', ')}` }]);
    }
  }

  private async branch(businessId: string, branchId: string): Promise<BranchContext> {
    const branch = (await loadBranchContexts(this.dataSource.manager, [branchId])).get(branchId);
    if (!branch || branch.businessId !== businessId) throw ApiError.notFound('Branch');
    return branch;
  }
}
