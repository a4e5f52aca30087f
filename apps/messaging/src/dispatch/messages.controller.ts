import { ApiError } from '@chairbook/platform';
import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { iso, PageQuery, pageOf } from '../api/paging';
import { CoreApiAuthGuard } from '../auth/core-api-auth.guard';

interface MessageRow {
  id: string;
  branch_id: string;
  client_id: string | null;
  booking_key: string | null;
  appointment_id: string | null;
  campaign_id: string | null;
  kind: string;
  channel: string;
  recipient: string;
  subject: string | null;
  body: string;
  segments: number | null;
  encoding: string | null;
  status: string;
  status_reason: string | null;
  error_message: string | null;
  provider_message_id: string | null;
  attempts: number;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  updated_at: Date;
}

const view = (r: MessageRow) => ({
  messageId: String(r.id),
  branchId: r.branch_id,
  clientId: r.client_id,
  bookingId: r.booking_key && !r.booking_key.startsWith('a:') ? r.booking_key : null,
  appointmentId: r.appointment_id ?? (r.booking_key?.startsWith('a:') ? r.booking_key.slice(2) : null),
  campaignId: r.campaign_id,
  kind: r.kind,
  channel: r.channel,
  recipient: r.recipient,
  subject: r.subject,
  body: r.body,
  segments: r.segments,
  encoding: r.encoding,
  status: r.status,
  statusReason: r.status_reason,
  error: r.error_message,
  providerMessageId: r.provider_message_id,
  attempts: r.attempts,
  createdAt: iso(r.created_at),
  sentAt: iso(r.sent_at),
  deliveredAt: iso(r.delivered_at),
  updatedAt: iso(r.updated_at),
});

const COLUMNS =
  'id, branch_id, client_id, booking_key, appointment_id, campaign_id, kind, channel, recipient, subject, body, segments, encoding, status, status_reason, error_message, provider_message_id, attempts, created_at, sent_at, delivered_at, updated_at';

/** The message log salons read: every message with its status, newest first. */
@ApiTags('message log')
@ApiBasicAuth()
@UseGuards(CoreApiAuthGuard)
@Controller('messaging/business/:businessId')
export class MessagesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('clients/:clientId/messages')
  @ApiOperation({ summary: "A client's messages (confirmations, reminders, notices, campaigns)" })
  async forClient(@Param('businessId') businessId: string, @Param('clientId') clientId: string, @Query() query: PageQuery) {
    await this.exists('SELECT 1 FROM client_contact WHERE client_id = ? AND business_id = ?', [clientId, businessId], 'Client');
    return this.page('business_id = ? AND client_id = ?', [businessId, clientId], query);
  }

  @Get('bookings/:bookingId/messages')
  @ApiOperation({ summary: "A booking's messages" })
  async forBooking(@Param('businessId') businessId: string, @Param('bookingId') bookingId: string, @Query() query: PageQuery) {
    await this.exists('SELECT 1 FROM booking WHERE booking_key = ? AND business_id = ?', [bookingId, businessId], 'Booking');
    return this.page('business_id = ? AND booking_key = ?', [businessId, bookingId], query);
  }

  @Get('appointments/:appointmentId/messages')
  @ApiOperation({ summary: "An appointment's messages (including those of its booking)" })
  async forAppointment(@Param('businessId') businessId: string, @Param('appointmentId') appointmentId: string, @Query() query: PageQuery) {
    const [row]: { booking_key: string }[] = await this.dataSource.query('SELECT booking_key FROM booking_appointment WHERE appointment_id = ? AND business_id = ?', [appointmentId, businessId]);
    if (!row) throw ApiError.notFound('Appointment');
    return this.page('business_id = ? AND booking_key = ? AND (appointment_id IS NULL OR appointment_id = ?)', [businessId, row.booking_key, appointmentId], query);
  }

  private async exists(sql: string, params: unknown[], what: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(sql, params);
    if (!rows.length) throw ApiError.notFound(what);
  }

  private async page(where: string, params: unknown[], query: PageQuery) {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT ${COLUMNS} FROM message WHERE ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [...params, query.size, query.page * query.size]) as Promise<MessageRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM message WHERE ${where}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf('messages', rows.map(view), Number(total), query);
  }
}
