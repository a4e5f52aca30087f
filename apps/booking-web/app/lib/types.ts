/** What /book/api answers (see apps/booking/src/online). */
export interface Service {
  id: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  durationMaxMinutes: number;
  price: number;
  priceMax: number;
}

export interface Stylist {
  id: string;
  name: string;
  profile: string | null;
  serviceIds: string[];
}

export interface Salon {
  slug: string;
  name: string;
  businessName: string;
  timeZone: string;
  country: string;
  currencyCode: string;
  address: string[];
  phone: string | null;
  email: string | null;
  mapUrl: string | null;
  openingHours: { dayOfWeek: string; startTime: string; endTime: string }[];
  rules: { holdMinutes: number; cancellationWindowHours: number; horizonDays: number; minNoticeMinutes: number };
  categories: { name: string; services: Service[] }[];
  stylists: Stylist[];
}

export interface SlotTime {
  startTime: string;
  time: string;
  stylistIds: string[];
  offsets: number[];
}

export interface Availability {
  timeZone: string;
  days: { date: string; times: SlotTime[] }[];
}

export interface BookingView {
  reference: string;
  status: 'HELD' | 'CONFIRMED' | 'CANCELLED';
  holdExpiresAt: string | null;
  salon: { name: string | null; slug: string | null; timeZone: string; address: string[]; phone: string | null; currencyCode: string | null; cancellationWindowHours: number | null };
  appointments: { serviceName: string; stylistName: string; startTime: string; endTime: string; price: number | null }[];
  startTime: string;
  endTime: string;
  total: number | null;
  changeableUntil: string | null;
  canChange: boolean;
  manageUrl: string;
  token: string;
  serviceIds: string[];
}

export interface CustomerDetails {
  firstName: string;
  lastName: string;
  mobile: string;
  email: string;
  reminderConsent: boolean;
  marketingConsent: boolean;
  note: string;
}
