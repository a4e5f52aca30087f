import Service, { service } from '@ember/service';
import { tracked } from '@glimmer/tracking';
import type ApiService from 'booking-web/services/api';
import type { BookingView, CustomerDetails, Salon, Service as SalonService, SlotTime, Stylist } from 'booking-web/lib/types';

const emptyDetails = (): CustomerDetails => ({ firstName: '', lastName: '', mobile: '', email: '', reminderConsent: false, marketingConsent: false, note: '' });

interface Saved {
  basket: string[];
  stylistId: string | null;
  date: string | null;
  slot: SlotTime | null;
  holdToken: string | null;
  doneToken: string | null;
}

/**
 * One visitor's way through the booking steps for one salon: the basket, the stylist, the
 * chosen time, their details and the hold. Kept in the tab's sessionStorage (no personal
 * details) so a reload or a deep link to a later step picks up where they were.
 */
export default class BookingFlowService extends Service {
  @service declare api: ApiService;

  @tracked salon: Salon | null = null;
  @tracked basket: string[] = [];
  /** null = anyone available */
  @tracked stylistId: string | null = null;
  @tracked date: string | null = null;
  @tracked slot: SlotTime | null = null;
  @tracked details: CustomerDetails = emptyDetails();
  @tracked hold: BookingView | null = null;
  @tracked done: BookingView | null = null;
  /** A message for the next page (e.g. "that time was just taken"). */
  @tracked notice: string | null = null;
  holdAttemptKey: string | null = null;

  async load(slug: string): Promise<Salon> {
    if (this.salon?.slug === slug) return this.salon;
    const salon = await this.api.salon(slug);
    this.reset();
    this.salon = salon;
    this.restore(slug);
    return salon;
  }

  reset(): void {
    this.basket = [];
    this.stylistId = null;
    this.date = null;
    this.slot = null;
    this.hold = null;
    this.done = null;
    this.notice = null;
    this.holdAttemptKey = null;
  }

  get services(): SalonService[] {
    return this.salon?.categories.flatMap((c) => c.services) ?? [];
  }

  get chosenServices(): SalonService[] {
    return this.basket.map((id) => this.services.find((s) => s.id === id)).filter((s): s is SalonService => !!s);
  }

  /** Stylists who do every service in the basket. */
  get stylistsForBasket(): Stylist[] {
    return (this.salon?.stylists ?? []).filter((s) => this.basket.every((id) => s.serviceIds.includes(id)));
  }

  get stylist(): Stylist | null {
    return this.salon?.stylists.find((s) => s.id === this.stylistId) ?? null;
  }

  get totalMinutes(): number {
    return this.chosenServices.reduce((sum, s) => sum + s.durationMinutes, 0);
  }

  toggle(serviceId: string): void {
    this.basket = this.basket.includes(serviceId) ? this.basket.filter((id) => id !== serviceId) : [...this.basket, serviceId];
    if (this.stylistId && !this.stylistsForBasket.some((s) => s.id === this.stylistId)) this.stylistId = null;
    this.slot = null;
    this.save();
  }

  chooseStylist(id: string | null): void {
    this.stylistId = id;
    this.slot = null;
    this.save();
  }

  chooseDate(date: string): void {
    this.date = date;
    this.save();
  }

  chooseSlot(slot: SlotTime): void {
    this.slot = slot;
    this.notice = null;
    this.holdAttemptKey = null;
    this.save();
  }

  setHold(view: BookingView | null): void {
    this.hold = view;
    this.save();
  }

  setDone(view: BookingView): void {
    this.done = view;
    this.hold = null;
    this.slot = null;
    this.basket = [];
    this.stylistId = null;
    this.save();
  }

  private key(slug: string): string {
    return `chairbook-booking:${slug}`;
  }

  save(): void {
    if (!this.salon) return;
    const saved: Saved = { basket: this.basket, stylistId: this.stylistId, date: this.date, slot: this.slot, holdToken: this.hold?.token ?? null, doneToken: this.done?.token ?? null };
    try {
      sessionStorage.setItem(this.key(this.salon.slug), JSON.stringify(saved));
    } catch {
      /* private mode: the steps still work, only a reload forgets them */
    }
  }

  /** Tokens of a hold or a finished booking saved before a reload (fetched by the routes). */
  savedHoldToken: string | null = null;
  savedDoneToken: string | null = null;

  private restore(slug: string): void {
    let saved: Partial<Saved> = {};
    try {
      saved = JSON.parse(sessionStorage.getItem(this.key(slug)) ?? '{}') as Partial<Saved>;
    } catch {
      saved = {};
    }
    const known = new Set(this.services.map((s) => s.id));
    this.basket = (saved.basket ?? []).filter((id) => known.has(id));
    this.stylistId = saved.stylistId && this.salon?.stylists.some((s) => s.id === saved.stylistId) ? saved.stylistId : null;
    this.date = saved.date ?? null;
    this.slot = saved.slot ?? null;
    this.savedHoldToken = saved.holdToken ?? null;
    this.savedDoneToken = saved.doneToken ?? null;
  }

  newDetails(): CustomerDetails {
    return emptyDetails();
  }
}

declare module '@ember/service' {
  interface Registry {
    'booking-flow': BookingFlowService;
  }
}
