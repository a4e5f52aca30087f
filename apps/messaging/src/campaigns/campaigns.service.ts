import { ApiError, LOGGER } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { Gauge, register } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { iso, PageQuery, pageOf } from '../api/paging';
import { smsLength } from '../channels/sms/sms-segments';
import { MessagingConfig } from '../config/messaging.config';
import { Dispatcher } from '../dispatch/dispatcher';
import { enqueueMessages } from '../dispatch/message-store';
import { PollLoop } from '../dispatch/poll-loop';
import { BranchContext, loadBranchContexts } from '../settings/branch-settings';
import { nextSendableTime } from '../settings/quiet-hours';
import { MARKETING_PLACEHOLDERS } from '../templates/default-templates';
import { unknownPlaceholders } from '../templates/render';
import { AudienceQueryDto, CampaignPreviewDto, CreateCampaignDto, SegmentDto } from './campaign.dto';
import { campaignMessage, Recipient } from './campaign-messages';
import { reachableSql, Segment, segmentSql } from './segments';

interface CampaignRow {
  id: string;
  business_id: string;
  branch_id: string;
  name: string;
  channel: 'SMS' | 'EMAIL';
  subject: string | null;
  body: string;
  segment: string | Segment;
  status: string;
  scheduled_at: Date | null;
  started_at: Date | null;
  expanded_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  audience_size: number | null;
  expansion_cursor: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

/** Clients per expansion transaction: big enough to be quick, small enough to keep locks short. */
const CHUNK = 2_000;

const running = (() => {
  const existing = register.getSingleMetric('campaign_messages_queued');
  return (existing as Gauge | undefined) ?? new Gauge({ name: 'campaign_messages_queued', help: 'Campaign messages waiting to be sent' });
})();

/**
 * Campaigns: a segment and a text, previewed, then sent now or at a time. Sending has two
 * stages, both shared by every copy through the database: expansion (the audience becomes
 * QUEUED messages, 2,000 clients per transaction, resumable from a cursor after a crash) and
 * dispatch (the ordinary message dispatcher, which re-checks opt-outs and quiet hours).
 * Progress is the count of the campaign's messages by status; cancelling stops expansion and
 * turns every still-queued message CANCELLED.
 */
@Injectable()
export class CampaignsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollLoop;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: MessagingConfig,
    private readonly dispatcher: Dispatcher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new PollLoop('campaigns', () => this.runOnce(), Math.max(config.dispatch.pollMs, 500), logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  // Before Nest's onApplicationShutdown hooks, where TypeORM closes the pool: the last
  // pass of a loop (and any in-flight handler) still has its database and broker.
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  async preview(businessId: string, dto: CampaignPreviewDto) {
    const branch = await this.branch(businessId, dto.branchId);
    const segment = this.segment(dto.segment, branch);
    const where = segmentSql(segment, new Date());
    const [counts]: { segment_size: number; audience: number }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS segment_size, COALESCE(SUM(${reachableSql(dto.channel)}), 0) AS audience
         FROM client_contact c WHERE c.business_id = ? AND c.archived = 0 AND ${where.sql}`,
      [businessId, ...where.params],
    );
    const result: Record<string, unknown> = { segment, segmentSize: Number(counts.segment_size), audienceSize: Number(counts.audience) };
    if (dto.body) {
      this.checkPlaceholders(dto.body, dto.subject);
      const sample: Recipient = { client_id: 'sample-client-id', first_name: 'Alex', last_name: 'Byrne', mobile: '+353870000000', email: 'alex@example.com' };
      const message = campaignMessage({ id: 'preview', channel: dto.channel, subject: dto.subject ?? null, body: dto.body }, branch, sample, this.links(), new Date());
      result['sample'] = { subject: message.subject ?? null, body: message.body, ...(dto.channel === 'SMS' ? { sms: smsLength(message.body) } : {}) };
    }
    return result;
  }

  async create(businessId: string, userId: string, dto: CreateCampaignDto) {
    const branch = await this.branch(businessId, dto.branchId);
    this.checkPlaceholders(dto.body, dto.subject);
    const id = randomBytes(16).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO campaign (id, business_id, branch_id, name, channel, subject, body, segment, status, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', ?, NOW(3), NOW(3))`,
      [id, businessId, branch.branchId, dto.name, dto.channel, dto.subject ?? null, dto.body, JSON.stringify(this.segment(dto.segment, branch)), userId],
    );
    return this.get(businessId, id);
  }

  async list(businessId: string, query: PageQuery) {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query('SELECT * FROM campaign WHERE business_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?', [businessId, query.size, query.page * query.size]) as Promise<CampaignRow[]>,
      this.dataSource.query('SELECT COUNT(*) AS total FROM campaign WHERE business_id = ?', [businessId]) as Promise<{ total: number }[]>,
    ]);
    return pageOf('campaigns', await Promise.all(rows.map((r) => this.view(r))), Number(total), query);
  }

  async get(businessId: string, campaignId: string) {
    return this.view(await this.row(this.dataSource.manager, businessId, campaignId));
  }

  async send(businessId: string, campaignId: string, scheduledAt?: string) {
    const at = scheduledAt ? new Date(scheduledAt) : new Date();
    await this.dataSource.transaction(async (m) => {
      const row = await this.row(m, businessId, campaignId, true);
      if (row.status !== 'DRAFT' && row.status !== 'SCHEDULED') throw ApiError.conflict('CAMPAIGN_NOT_EDITABLE', `The campaign is ${row.status} and cannot be sent again`);
      await m.query("UPDATE campaign SET status = 'SCHEDULED', scheduled_at = ?, version = version + 1, updated_at = NOW(3) WHERE id = ?", [at, campaignId]);
    });
    this.loop.wake();
    return this.get(businessId, campaignId);
  }

  async cancel(businessId: string, campaignId: string) {
    let cancelled = 0;
    await this.dataSource.transaction(async (m) => {
      const row = await this.row(m, businessId, campaignId, true);
      if (['COMPLETED', 'CANCELLED'].includes(row.status)) throw ApiError.conflict('CAMPAIGN_FINISHED', `The campaign is already ${row.status}`);
      await m.query("UPDATE campaign SET status = 'CANCELLED', cancelled_at = NOW(3), version = version + 1, updated_at = NOW(3) WHERE id = ?", [campaignId]);
      const result: { affectedRows: number } = await m.query(
        "UPDATE message SET status = 'CANCELLED', status_reason = 'CAMPAIGN_CANCELLED', updated_at = NOW(3) WHERE campaign_id = ? AND status = 'QUEUED'",
        [campaignId],
      );
      cancelled = result.affectedRows;
    });
    this.logger.info({ campaignId, cancelled }, 'campaign cancelled');
    return this.get(businessId, campaignId);
  }

  /** One pass of the shared work: start due campaigns, expand a chunk, close finished ones. */
  async runOnce(): Promise<number> {
    let work = 0;
    const due: { id: string }[] = await this.dataSource.query("SELECT id FROM campaign WHERE status = 'SCHEDULED' AND scheduled_at <= NOW(3) LIMIT 10");
    for (const { id } of due) {
      const result: { affectedRows: number } = await this.dataSource.query(
        "UPDATE campaign SET status = 'EXPANDING', started_at = NOW(3), audience_size = 0, updated_at = NOW(3) WHERE id = ? AND status = 'SCHEDULED'",
        [id],
      );
      work += result.affectedRows;
    }
    const expanding: { id: string }[] = await this.dataSource.query("SELECT id FROM campaign WHERE status = 'EXPANDING' LIMIT 10");
    for (const { id } of expanding) work += await this.dataSource.transaction((m) => this.expandChunk(m, id));
    if (work) this.dispatcher.wake();
    await this.dataSource.query(
      `UPDATE campaign c SET c.status = 'COMPLETED', c.completed_at = NOW(3), c.updated_at = NOW(3)
        WHERE c.status = 'SENDING' AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = c.id AND m.status IN ('QUEUED', 'SENDING'))`,
    );
    const [{ queued }]: { queued: number }[] = await this.dataSource.query(
      "SELECT COUNT(*) AS queued FROM message m JOIN campaign c ON c.id = m.campaign_id WHERE c.status = 'SENDING' AND m.status = 'QUEUED'",
    );
    running.set(Number(queued));
    return work;
  }

  private async expandChunk(m: EntityManager, campaignId: string): Promise<number> {
    // SKIP LOCKED: another copy expanding this campaign (or a cancel in progress) wins; we move on.
    const [campaign]: CampaignRow[] = await m.query("SELECT * FROM campaign WHERE id = ? AND status = 'EXPANDING' FOR UPDATE SKIP LOCKED", [campaignId]);
    if (!campaign) return 0;
    const branch = (await loadBranchContexts(m, [campaign.branch_id])).get(campaign.branch_id);
    if (!branch) throw new Error(`campaign ${campaignId}: branch ${campaign.branch_id} unknown`);
    const segment = parseSegment(campaign.segment);
    const where = segmentSql(segment, campaign.started_at ? new Date(campaign.started_at) : new Date());
    const recipients: Recipient[] = await m.query(
      `SELECT c.client_id, c.first_name, c.last_name, c.mobile, c.email FROM client_contact c
        WHERE c.business_id = ? AND c.archived = 0 AND ${where.sql} AND ${reachableSql(campaign.channel)} AND c.client_id > ?
        ORDER BY c.client_id LIMIT ?`,
      [campaign.business_id, ...where.params, campaign.expansion_cursor ?? '', CHUNK],
    );
    const notBefore = nextSendableTime(new Date(), branch.timeZone, branch.settings.quietHours);
    const links = this.links();
    const text = { id: campaign.id, channel: campaign.channel, subject: campaign.subject, body: campaign.body };
    const queued = await enqueueMessages(m, recipients.map((r) => campaignMessage(text, branch, r, links, notBefore)));
    const done = recipients.length < CHUNK;
    await m.query(
      `UPDATE campaign SET audience_size = COALESCE(audience_size, 0) + ?, expansion_cursor = ?, status = ?, expanded_at = IF(? , NOW(3), expanded_at), updated_at = NOW(3) WHERE id = ?`,
      [queued, recipients.length ? recipients[recipients.length - 1].client_id : campaign.expansion_cursor, done ? 'SENDING' : 'EXPANDING', done ? 1 : 0, campaignId],
    );
    return recipients.length + (done ? 1 : 0);
  }

  private async view(row: CampaignRow) {
    const counts: { status: string; n: number }[] = await this.dataSource.query('SELECT status, COUNT(*) AS n FROM message WHERE campaign_id = ? GROUP BY status', [row.id]);
    const count = (...statuses: string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + Number(c.n), 0);
    return {
      campaignId: row.id,
      branchId: row.branch_id,
      name: row.name,
      channel: row.channel,
      subject: row.subject,
      body: row.body,
      segment: parseSegment(row.segment),
      status: row.status,
      scheduledAt: iso(row.scheduled_at),
      startedAt: iso(row.started_at),
      completedAt: iso(row.completed_at),
      cancelledAt: iso(row.cancelled_at),
      audienceSize: row.audience_size,
      progress: {
        queued: count('QUEUED', 'SENDING'),
        sent: count('SENT', 'DELIVERED', 'UNDELIVERED'),
        delivered: count('DELIVERED'),
        failed: count('FAILED', 'UNDELIVERED'),
        blocked: count('BLOCKED'),
        cancelled: count('CANCELLED'),
      },
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  private async row(m: EntityManager, businessId: string, campaignId: string, lock = false): Promise<CampaignRow> {
    const [row]: CampaignRow[] = await m.query(`SELECT * FROM campaign WHERE id = ? AND business_id = ?${lock ? ' FOR UPDATE' : ''}`, [campaignId, businessId]);
    if (!row) throw ApiError.notFound('Campaign');
    return row;
  }

  private async branch(businessId: string, branchId: string): Promise<BranchContext> {
    const branch = (await loadBranchContexts(this.dataSource.manager, [branchId])).get(branchId);
    if (!branch || branch.businessId !== businessId) throw ApiError.notFound('Branch');
    return branch;
  }

  private segment(dto: SegmentDto | AudienceQueryDto['segment'], branch: BranchContext): Segment {
    switch (dto.type) {
      case 'NOT_SEEN_FOR_WEEKS':
        return { type: dto.type, weeks: dto.weeks! };
      case 'STAFF':
        return { type: dto.type, staffId: dto.staffId! };
      case 'CLIENT_CATEGORY':
        return { type: dto.type, categoryId: dto.categoryId! };
      case 'BIRTHDAY_MONTH':
        return { type: dto.type, month: dto.month ?? DateTime.now().setZone(branch.timeZone).month };
    }
  }

  private checkPlaceholders(body: string, subject?: string | null): void {
    const unknown = unknownPlaceholders(`${body} ${subject ?? ''}`, MARKETING_PLACEHOLDERS);
    if (unknown.length) {
      throw ApiError.badRequest('UNKNOWN_PLACEHOLDER', `Campaigns can use ${MARKETING_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}; not ${unknown.join(', ')}`, [
        { field: 'body', message: `unknown placeholder(s): ${unknown.join(', ')}` },
      ]);
    }
  }

  private links() {
    return { bookingPublicUrl: this.config.bookingPublicUrl, publicUrl: this.config.publicUrl, linkSigningSecret: this.config.linkSigningSecret };
  }
}

function parseSegment(value: string | Segment): Segment {
  return typeof value === 'string' ? (JSON.parse(value) as Segment) : value;
}
