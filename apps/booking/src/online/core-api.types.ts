/** The parts of core-api's answers the booking site reads (Phorest's field names). */
export interface CoreBranch {
  businessId: string;
  businessName: string;
  branchId: string;
  name: string;
  slug: string;
  timeZone: string;
  country: string;
  currencyCode: string;
  streetAddress1: string | null;
  streetAddress2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  phone: string | null;
  email: string | null;
  latitude: number | null;
  longitude: number | null;
  openingHours: { dayOfWeek: string; startTime: string; endTime: string }[];
  onlineBooking: { minNoticeMinutes: number; horizonDays: number; slotStepMinutes: number; holdMinutes: number; cancellationWindowHours: number };
}

export interface CoreService {
  serviceId: string;
  categoryId: string | null;
  name: string;
  internetName?: string | null;
  description?: string | null;
  duration: number;
  price: number;
  onlineBookable?: boolean;
  archived?: boolean;
}

export interface CoreCategory {
  categoryId: string;
  name: string;
  sortOrder?: number;
}

export interface CoreStaff {
  staffId: string;
  firstName: string;
  lastName: string | null;
  hideFromOnlineBookings?: boolean;
  onlineProfile?: string | null;
  archived?: boolean;
  services: { serviceId: string; price: number | null; duration: number | null }[];
}

export interface CoreAvailability {
  timeZone: string;
  data: { startTime: string; clientSchedules: { serviceSchedules: { serviceId: string; staffId: string; startTime: string; endTime: string }[] }[] }[];
}

export interface CoreBooking {
  bookingId: string;
  bookingStatus: 'ACTIVE' | 'RESERVED' | 'CANCELED';
  holdExpiresAt: string | null;
  note?: string | null;
  clientAppointmentSchedules: {
    clientId: string;
    serviceSchedules: { appointmentId: string; serviceId: string; staffId: string; startTime: string; endTime: string; price: number | null }[];
  }[];
}

export interface CoreList<K extends string, T> {
  _embedded: Record<K, T[]>;
}
