import { publicSalon } from './catalogue';
import type { CoreBranch } from './core-api.types';

const branch = {
  businessId: 'B'.repeat(22),
  businessName: 'Foundation Hair',
  branchId: 'R'.repeat(22),
  name: 'Foundation Hair',
  slug: 'foundation-hair',
  timeZone: 'Europe/Dublin',
  country: 'IE',
  currencyCode: 'EUR',
  streetAddress1: '12 Drury Street',
  streetAddress2: null,
  city: 'Dublin 2',
  state: null,
  postalCode: 'D02 W017',
  phone: null,
  email: null,
  latitude: null,
  longitude: null,
  openingHours: [],
  onlineBooking: { minNoticeMinutes: 120, horizonDays: 60, slotStepMinutes: 15, holdMinutes: 10, cancellationWindowHours: 24 },
} satisfies CoreBranch;

describe('publicSalon', () => {
  it('shows online-bookable services someone visible does, with "from" prices, and no business ids', () => {
    const salon = publicSalon(
      branch,
      [
        { serviceId: 'cut', categoryId: 'c1', name: 'Cut', duration: 30, price: 28 },
        { serviceId: 'consult', categoryId: 'c1', name: 'Consultation', duration: 15, price: 0, onlineBookable: false },
        { serviceId: 'orphan', categoryId: null, name: 'Nobody does this', duration: 15, price: 10 },
      ],
      [{ categoryId: 'c1', name: 'Cuts', sortOrder: 1 }],
      [
        { staffId: 's1', firstName: 'Conor', lastName: 'Walsh', services: [{ serviceId: 'cut', price: null, duration: null }, { serviceId: 'consult', price: null, duration: null }] },
        { staffId: 's2', firstName: 'Saoirse', lastName: 'Doyle', services: [{ serviceId: 'cut', price: 22, duration: null }] },
        { staffId: 's3', firstName: 'Hidden', lastName: null, hideFromOnlineBookings: true, services: [{ serviceId: 'orphan', price: null, duration: null }] },
      ],
    );
    expect(salon.categories).toEqual([{ name: 'Cuts', services: [{ id: 'cut', name: 'Cut', description: null, durationMinutes: 30, durationMaxMinutes: 30, price: 22, priceMax: 28 }] }]);
    expect(salon.stylists.map((s) => s.name)).toEqual(['Conor Walsh', 'Saoirse Doyle']);
    expect(salon.stylists[0].serviceIds).toEqual(['cut']);
    expect(salon.address).toEqual(['12 Drury Street', 'Dublin 2', 'D02 W017']);
    expect(JSON.stringify(salon)).not.toContain(branch.businessId);
    expect(JSON.stringify(salon)).not.toContain(branch.branchId);
  });
});
