/**
 * The provider-adapter contract (novu's shape): one small interface per channel, one class per
 * vendor, a factory that picks by configuration. The dispatcher only ever sees these types.
 */
export type Channel = 'SMS' | 'EMAIL';

/** What became of one send call, after the adapter's own quick retries. */
export type SendOutcome =
  /** The provider accepted the message (it may still report delivery later). */
  | { outcome: 'accepted'; providerMessageId: string }
  /** Permanent refusal (invalid number, unknown mailbox): never retried. */
  | { outcome: 'failed'; code: string; message: string }
  /**
   * Transient trouble (429, 5xx, network). `maybeAccepted` when the request may have reached
   * the provider (a timeout after sending): the next attempt looks the message up first.
   */
  | { outcome: 'retry'; code: string; message: string; retryAfterMs?: number; maybeAccepted: boolean };

/** Forward-only delivery states a provider reports. */
export type DeliveryStatus = 'QUEUED' | 'SENT' | 'DELIVERED' | 'UNDELIVERED' | 'FAILED';

export interface DeliveryUpdate {
  providerMessageId: string;
  status: DeliveryStatus;
  errorCode?: string;
}

export interface ProviderHealth {
  up: boolean;
  detail?: string;
}

export interface OutgoingSms {
  to: string;
  body: string;
  /** Our message id, echoed back in the status callback URL. */
  reference: string;
}

export interface SmsProvider {
  readonly name: string;
  send(sms: OutgoingSms): Promise<SendOutcome>;
  /**
   * Finds a message this sender already handed to the provider (same recipient and body, since
   * `since`), for messages whose outcome a crash left unknown. Null when there is none.
   */
  findAccepted?(sms: OutgoingSms, since: Date): Promise<string | null>;
  /** Reads a delivery-status callback; null when it is not one this provider sends. */
  parseStatusCallback(params: Record<string, string>): DeliveryUpdate | null;
  /** Checks the provider's signature on a webhook request (full public URL + form params). */
  verifySignature(url: string, params: Record<string, string>, signature: string | undefined): boolean;
  check(): Promise<ProviderHealth>;
  close?(): Promise<void>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per message, so a resend after a crash is recognisable as the same message. */
  messageId: string;
  /** Marketing mail: the one-click unsubscribe URL (RFC 8058). */
  unsubscribeUrl?: string;
  /** Shown as the sender's display name (the salon). */
  fromName?: string;
  reference: string;
}

export interface EmailProvider {
  readonly name: string;
  send(email: OutgoingEmail): Promise<SendOutcome>;
  check(): Promise<ProviderHealth>;
  close?(): Promise<void>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
export const EMAIL_PROVIDER = Symbol('EMAIL_PROVIDER');

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
