import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { broadcastBindings, parseEvent } from '@chairbook/contracts';
import { type BroadcastSubscription, LOGGER, RabbitMqClient } from '@chairbook/platform';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { WebSocket, WebSocketServer } from 'ws';
import { BasicAuthGuard } from '../auth/basic-auth.guard';

const PATH = /^\/ws\/branch\/([A-Za-z0-9_-]{22})$/;

const openScreens = (() => {
  const existing = register.getSingleMetric('appointment_screens_open');
  return (existing as Gauge | undefined) ?? new Gauge({ name: 'appointment_screens_open', help: 'Live appointment-screen WebSockets open on this copy' });
})();

/**
 * The live appointment screen: `GET /ws/branch/{branchId}` upgrades to a WebSocket that
 * receives every appointment and booking change of that branch as JSON
 * (`{ type: 'appointment.booked', occurredAt, data }`). Changes reach every copy of core-api
 * through RabbitMQ (a temporary queue per copy), so two screens on different copies never
 * disagree. Callers authenticate with the API's Basic credentials, or (browsers) a one-use
 * ticket from POST …/branch/{branchId}/appointment-screen/ticket.
 */
@Injectable()
export class AppointmentScreenGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly screens = new Map<string, Set<WebSocket>>();
  private heartbeat?: NodeJS.Timeout;
  private subscription?: BroadcastSubscription;
  private unbindTimer?: NodeJS.Timeout;
  /** Screens being opened (authorised, binding or upgrading): the copy must stay subscribed. */
  private opening = 0;
  /**
   * How long a copy stays subscribed after its last screen closed, so a screen that reconnects
   * (a page reload) finds it listening. Then the broker stops delivering appointment changes
   * to this copy: with no screen open it would only drop them.
   */
  unbindAfterMs = 60_000;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: BasicAuthGuard,
    private readonly dataSource: DataSource,
    private readonly broker: RabbitMqClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const http = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(request, socket, head);
    });
    this.subscription = await this.broker.subscribeBroadcast(
      broadcastBindings.appointmentScreen,
      (message) => this.push(message.content),
      // Bound while a screen is open here (see listen): no screen, no deliveries.
      { active: false },
    );
    this.heartbeat = setInterval(() => this.ping(), 30_000);
    this.heartbeat.unref();
  }

  /** An appointment change from the broker, to the screens of its branch open on this copy. */
  private async push(content: Buffer): Promise<void> {
    // No screen open on this copy (it stays subscribed a while after the last one): nothing to parse.
    if (!this.screens.size) return;
    const raw = JSON.parse(content.toString('utf8')) as { branchId?: unknown };
    // Most events concern a branch with no screen open on this copy: skip the contract check.
    if (typeof raw.branchId !== 'string' || !this.screens.get(raw.branchId)?.size) return;
    const event = parseEvent(raw);
    if (!event.branchId) return;
    const payload = JSON.stringify({ type: event.type, occurredAt: event.occurredAt, eventId: event.id, data: event.data });
    for (const socket of this.screens.get(event.branchId) ?? []) {
      if (socket.readyState === WebSocket.OPEN) socket.send(payload);
    }
  }

  /** Subscribes this copy to appointment changes (if it was not) before a screen opens. */
  private async listen(): Promise<void> {
    clearTimeout(this.unbindTimer);
    this.unbindTimer = undefined;
    await this.subscription?.setActive(true);
  }

  /** After the last screen closed: unsubscribe unless one opens within `unbindAfterMs`. */
  private scheduleUnbind(): void {
    clearTimeout(this.unbindTimer);
    this.unbindTimer = setTimeout(() => {
      if (!this.screens.size && !this.opening) void this.subscription?.setActive(false);
    }, this.unbindAfterMs);
    this.unbindTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.unbindTimer);
    for (const set of this.screens.values()) for (const socket of set) socket.close(1001, 'server shutting down');
    this.server.close();
  }

  /** A one-use ticket (60 s) for a browser, which cannot send Basic credentials on a WebSocket. */
  async issueTicket(userId: string, businessId: string, branchId: string): Promise<{ ticket: string; url: string; expiresAt: string }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + 60_000);
    await this.dataSource.query('INSERT INTO screen_ticket (ticket, user_id, business_id, branch_id, expires_at) VALUES (?, ?, ?, ?, ?)', [ticket, userId, businessId, branchId, expiresAt]);
    return { ticket, url: `/ws/branch/${branchId}?ticket=${ticket}`, expiresAt: expiresAt.toISOString() };
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (!match) return this.refuse(socket, 404, 'Not Found');
    const branchId = match[1];
    try {
      const allowed = await this.authorise(request, url, branchId);
      if (!allowed) return this.refuse(socket, 404, 'Not Found');
    } catch {
      return this.refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Basic realm="Chairbook"\r\n');
    }
    // Counted as opening until it is open or its socket is gone (a handshake ws refuses never calls back).
    this.opening++;
    let counted = true;
    const opened = () => {
      if (counted) this.opening--;
      counted = false;
    };
    socket.once('close', opened);
    // Subscribed before the screen's welcome: nothing after the welcome is missed.
    await this.listen();
    this.server.handleUpgrade(request, socket, head, (ws) => {
      opened();
      this.open(ws, branchId);
    });
  }

  private async authorise(request: IncomingMessage, url: URL, branchId: string): Promise<boolean> {
    const ticket = url.searchParams.get('ticket');
    if (ticket) {
      const rows: { business_id: string; branch_id: string }[] = await this.dataSource.query('SELECT business_id, branch_id FROM screen_ticket WHERE ticket = ? AND expires_at > NOW(3)', [ticket]);
      if (!rows.length) throw new Error('unknown ticket');
      const used: { affectedRows: number } = await this.dataSource.query('DELETE FROM screen_ticket WHERE ticket = ?', [ticket]);
      if (!used.affectedRows) throw new Error('ticket already used');
      return rows[0].branch_id === branchId;
    }
    const principal = await this.auth.authenticate(request.headers.authorization);
    if (!principal.businessId) return false;
    const branch: unknown[] = await this.dataSource.query('SELECT id FROM branch WHERE id = ? AND business_id = ?', [branchId, principal.businessId]);
    return branch.length > 0;
  }

  private open(ws: WebSocket, branchId: string): void {
    const set = this.screens.get(branchId) ?? new Set<WebSocket>();
    this.screens.set(branchId, set);
    set.add(ws);
    openScreens.inc();
    (ws as WebSocket & { alive?: boolean }).alive = true;
    ws.on('pong', () => ((ws as WebSocket & { alive?: boolean }).alive = true));
    ws.on('close', () => {
      set.delete(ws);
      // The last screen of the branch gone: forget the branch, so an idle copy skips every event.
      if (!set.size && this.screens.get(branchId) === set) this.screens.delete(branchId);
      if (!this.screens.size) this.scheduleUnbind();
      openScreens.dec();
    });
    ws.on('error', (err) => this.logger.debug({ err }, 'screen socket error'));
    ws.send(JSON.stringify({ type: 'welcome', branchId }));
  }

  private ping(): void {
    for (const set of this.screens.values()) {
      for (const ws of set) {
        const tracked = ws as WebSocket & { alive?: boolean };
        if (tracked.alive === false) {
          ws.terminate();
          continue;
        }
        tracked.alive = false;
        ws.ping();
      }
    }
  }

  private refuse(socket: Duplex, status: number, text: string, headers = ''): void {
    socket.write(`HTTP/1.1 ${status} ${text}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }
}
