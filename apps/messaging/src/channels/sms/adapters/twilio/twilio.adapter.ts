import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'undici';
import type { Logger } from 'pino';
import { HttpResponse, HttpTransportError, keepAlivePool, sendHttp } from '../../../http-request';
import { backoffMs, DeliveryStatus, DeliveryUpdate, OutgoingSms, ProviderHealth, SendOutcome, SmsProvider } from '../../../provider.types';
import { RateLimiter } from '../../../rate-limiter';

export interface TwilioOptions {
  apiBaseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  /** Base of the status callback: `<statusCallbackUrl>?ref=<our message id>`. */
  statusCallbackUrl: string;
  ratePerSecond: number;
  timeoutMs: number;
  /** Quick retries inside one send call (429/5xx/network) before handing back `retry`. */
  attempts?: number;
  retryBaseMs?: number;
  maxSockets?: number;
}

/** Twilio's message states, mapped onto ours (forward-only). */
const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'QUEUED',
  scheduled: 'QUEUED',
  queued: 'QUEUED',
  sending: 'QUEUED',
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
  canceled: 'FAILED',
};

/**
 * SMS through Twilio's REST API (or anything that speaks it: the base URL is configuration).
 * `POST /2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, Basic auth. 429 and 5xx are
 * retried with backoff and jitter (honouring Retry-After); other 4xx are permanent.
 */
export class TwilioSmsAdapter implements SmsProvider {
  readonly name = 'twilio';
  private readonly pool: Pool;
  private readonly limiter: RateLimiter;
  private readonly auth: string;
  /** The account's path on the API's origin (the base URL may carry a path of its own). */
  private readonly base: string;
  /** Request headers of a send, built once: every send has the same. */
  private readonly sendHeaders: Record<string, string>;
  private readonly getHeaders: Record<string, string>;
  /** `From`, and `StatusCallback` up to the message's reference, form-encoded once. */
  private readonly fromField: string;
  private readonly callbackField: string;

  constructor(
    private readonly options: TwilioOptions,
    private readonly logger: Logger,
  ) {
    const api = new URL(options.apiBaseUrl);
    this.base = `${api.pathname.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
    this.pool = keepAlivePool(api.origin, options.maxSockets ?? 64, options.timeoutMs);
    this.limiter = new RateLimiter(options.ratePerSecond);
    this.auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    this.sendHeaders = { authorization: this.auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    this.getHeaders = { authorization: this.auth, accept: 'application/json' };
    this.fromField = `&From=${formEncode(options.from)}`;
    this.callbackField = `&StatusCallback=${formEncode(`${options.statusCallbackUrl}?ref=`)}`;
  }

  async send(sms: OutgoingSms): Promise<SendOutcome> {
    // What URLSearchParams would build from To, From, Body, StatusCallback, with the constant
    // parts encoded once.
    const form = `To=${formEncode(sms.to)}${this.fromField}&Body=${formEncode(sms.body)}${this.callbackField}${formEncode(encodeURIComponent(sms.reference))}`;
    const attempts = this.options.attempts ?? 3;
    let last: SendOutcome = { outcome: 'retry', code: 'NOT_ATTEMPTED', message: 'not attempted', maybeAccepted: false };
    let maybeAccepted = false;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const turn = this.limiter.acquire();
      if (turn) await turn;
      let response: HttpResponse;
      try {
        response = await sendHttp(this.pool, `${this.base}/Messages.json`, { method: 'POST', headers: this.sendHeaders, body: form, timeoutMs: this.options.timeoutMs });
      } catch (err) {
        const e = err as HttpTransportError;
        // A request that may have arrived is not retried blindly: the dispatcher looks it up first.
        maybeAccepted ||= e.requestSent !== false;
        last = { outcome: 'retry', code: e.code ?? 'NETWORK_ERROR', message: e.message, maybeAccepted };
        if (maybeAccepted) return last;
        await this.pause(attempt);
        continue;
      }
      const json = parseJson(response.body);
      if (response.status >= 200 && response.status < 300 && typeof json['sid'] === 'string') {
        return { outcome: 'accepted', providerMessageId: json['sid'] };
      }
      const code = json['code'] !== undefined ? `TWILIO_${String(json['code'])}` : `HTTP_${response.status}`;
      const message = typeof json['message'] === 'string' ? json['message'] : `provider answered ${response.status}`;
      if (response.status === 429 || response.status >= 500) {
        const retryAfterMs = retryAfter(response.headers['retry-after']);
        last = { outcome: 'retry', code, message, retryAfterMs, maybeAccepted };
        if (attempt + 1 < attempts) await this.pause(attempt, retryAfterMs);
        continue;
      }
      return { outcome: 'failed', code, message };
    }
    return last;
  }

  async findAccepted(sms: OutgoingSms, since: Date): Promise<string | null> {
    const query = new URLSearchParams({ To: sms.to, From: this.options.from, PageSize: '50' });
    const response = await sendHttp(this.pool, `${this.base}/Messages.json?${query.toString()}`, { method: 'GET', headers: this.getHeaders, timeoutMs: this.options.timeoutMs });
    if (response.status !== 200) throw new Error(`message lookup answered ${response.status}`);
    const list = (parseJson(response.body)['messages'] ?? []) as { sid: string; body: string; date_created?: string }[];
    // Allow for clock skew between us and the provider.
    const after = since.getTime() - 60_000;
    const match = list.find((m) => m.body === sms.body && (!m.date_created || Date.parse(m.date_created) >= after));
    return match?.sid ?? null;
  }

  parseStatusCallback(params: Record<string, string>): DeliveryUpdate | null {
    const sid = params['MessageSid'] ?? params['SmsSid'];
    const status = STATUS[(params['MessageStatus'] ?? params['SmsStatus'] ?? '').toLowerCase()];
    if (!sid || !status) return null;
    return { providerMessageId: sid, status, errorCode: params['ErrorCode'] || undefined };
  }

  verifySignature(url: string, params: Record<string, string>, signature: string | undefined): boolean {
    return verifyTwilioSignature(this.options.authToken, url, params, signature);
  }

  async check(): Promise<ProviderHealth> {
    try {
      const response = await sendHttp(this.pool, `${this.base}.json`, { method: 'GET', headers: this.getHeaders, timeoutMs: 1_500 });
      return response.status === 200 ? { up: true } : { up: false, detail: `account lookup answered ${response.status}` };
    } catch (err) {
      return { up: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async pause(attempt: number, retryAfterMs?: number): Promise<void> {
    const wait = Math.min(5_000, Math.max(retryAfterMs ?? 0, backoffMs(attempt, this.options.retryBaseMs ?? 200, 2_000)));
    this.logger.debug({ wait, attempt }, 'SMS provider busy; retrying');
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Twilio's webhook signature: base64 HMAC-SHA1 of the URL plus each POST param (sorted) as key+value. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string>, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * application/x-www-form-urlencoded encoding of one value, byte for byte what URLSearchParams
 * writes: encodeURIComponent (native, no object per call) plus the five characters it leaves
 * that the form encoding escapes, and spaces as `+`.
 */
export function formEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // A lone surrogate: URLSearchParams writes it as U+FFFD where encodeURIComponent throws.
    return new URLSearchParams({ v: value }).toString().slice(2);
  }
  return encoded.replace(/%20|[!'()~]/g, (c) => (c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function retryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
