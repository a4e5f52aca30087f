import Service from '@ember/service';
import { buildWaiter } from '@ember/test-waiters';
import config from 'booking-web/config/environment';
import type { Availability, BookingView, CustomerDetails, Salon, SlotTime } from 'booking-web/lib/types';

const waiter = buildWaiter('booking-web:api');

/** A refusal from /book/api, with the message to show as it is. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }
}

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Which salon page a booking token came from, so the server can name the salon. */
function hint(salon: string | null | undefined): string {
  return salon ? `?salon=${encodeURIComponent(salon)}` : '';
}

/** The booking service's JSON API, for the routes and components. */
export default class ApiService extends Service {
  base = (config.APP as { apiBase?: string }).apiBase ?? '/book/api';

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = waiter.beginAsync();
    try {
      let response: Response;
      try {
        response = await fetch(`${this.base}${path}`, {
          method,
          headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: 'same-origin',
        });
      } catch {
        throw new ApiProblem(0, 'OFFLINE', 'We could not reach the booking service. Check your connection and try again.');
      }
      const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (!response.ok) {
        const retry = Number(response.headers.get('retry-after')) || (json['retryAfterSeconds'] as number | undefined);
        let message = (json['message'] as string | undefined) ?? 'Something went wrong. Please try again.';
        if (response.status === 429 && !json['message']) message = 'You are going a little fast for us. Please wait a moment and try again.';
        if (response.status >= 500) message = (json['code'] === 'TEMPORARILY_UNAVAILABLE' && (json['message'] as string)) || 'Online booking is having a moment. Please try again in a minute.';
        throw new ApiProblem(response.status, (json['code'] as string) ?? 'ERROR', message, (json['fields'] as ApiProblem['fields']) ?? [], retry || undefined);
      }
      return json as T;
    } finally {
      waiter.endAsync(token);
    }
  }

  salon(slug: string): Promise<Salon> {
    return this.request('GET', `/salons/${encodeURIComponent(slug)}`);
  }

  availability(slug: string, serviceIds: string[], stylistId: string | null, from: string, days = 7): Promise<Availability> {
    return this.request('POST', `/salons/${encodeURIComponent(slug)}/availability`, { serviceIds, ...(stylistId ? { stylistId } : {}), from, days });
  }

  hold(slug: string, serviceIds: string[], slot: SlotTime, details: CustomerDetails, idempotencyKey = newIdempotencyKey()): Promise<BookingView> {
    const { note, ...customer } = details;
    return this.request(
      'POST',
      `/salons/${encodeURIComponent(slug)}/holds`,
      { serviceIds, stylistIds: slot.stylistIds, offsets: slot.offsets, startTime: slot.startTime, ...customer, ...(note.trim() ? { note: note.trim() } : {}) },
      { 'idempotency-key': idempotencyKey },
    );
  }

  booking(token: string, salon?: string | null): Promise<BookingView> {
    return this.request('GET', `/bookings/${token}${hint(salon)}`);
  }

  confirm(token: string, salon?: string | null): Promise<BookingView> {
    return this.request('POST', `/bookings/${token}/confirm${hint(salon)}`);
  }

  cancel(token: string, salon?: string | null): Promise<BookingView> {
    return this.request('POST', `/bookings/${token}/cancel${hint(salon)}`);
  }

  moveTimes(token: string, from: string, days = 7, salon?: string | null): Promise<Availability> {
    return this.request('POST', `/bookings/${token}/availability${hint(salon)}`, { from, days });
  }

  reschedule(token: string, startTime: string, salon?: string | null): Promise<BookingView> {
    return this.request('POST', `/bookings/${token}/reschedule${hint(salon)}`, { startTime });
  }

  calendarUrl(token: string, salon?: string | null): string {
    return `${this.base}/bookings/${token}/calendar.ics${hint(salon)}`;
  }
}

declare module '@ember/service' {
  interface Registry {
    api: ApiService;
  }
}
