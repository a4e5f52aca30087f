import { Weekday } from '../modules/business/use-cases/create-business/create-business.command';

/**
 * Foundation Hair, the demo salon every fresh install gets: four staff with different skills
 * and rosters, services with processing gaps and buffers, and one shared colour room, so the
 * booking pages and the API have something real to show.
 */
export const DEMO_SLUG = 'foundation-hair';
export const DEMO_OWNER_EMAIL = 'owner@foundation-hair.example';

type Shift = [string, string];
const week = (days: Partial<Record<Weekday, Shift[]>>) => days;

export const demoSalon = {
  name: 'Foundation Hair',
  branch: {
    name: 'Foundation Hair',
    slug: DEMO_SLUG,
    timeZone: 'Europe/Dublin',
    country: 'IE',
    currency: 'EUR',
    streetAddress1: '12 Drury Street',
    city: 'Dublin 2',
    postalCode: 'D02 W017',
    phone: '+35315550100',
    email: 'hello@foundation-hair.example',
    openingHours: {
      TUESDAY: [{ startTime: '09:00', endTime: '18:00' }],
      WEDNESDAY: [{ startTime: '09:00', endTime: '18:00' }],
      THURSDAY: [{ startTime: '09:00', endTime: '20:00' }],
      FRIDAY: [{ startTime: '09:00', endTime: '18:00' }],
      SATURDAY: [{ startTime: '09:00', endTime: '17:00' }],
      MONDAY: [{ startTime: '10:00', endTime: '18:00' }],
    },
  },
  clients: [
    { firstName: 'Siobhán', lastName: 'Murphy', mobile: '+353871230001', email: 'siobhan.murphy@example.com', marketing: true },
    { firstName: 'Ciara', lastName: "O'Brien", mobile: '+353871230002', email: 'ciara.obrien@example.com', marketing: false },
    { firstName: 'Declan', lastName: 'Ryan', mobile: '+353871230003', email: 'declan.ryan@example.com', marketing: true },
    { firstName: 'Maeve', lastName: 'Fitzgerald', mobile: '+353871230004', email: 'maeve.fitzgerald@example.com', marketing: false },
    { firstName: 'Oisín', lastName: 'Kavanagh', mobile: '+353871230005', email: 'oisin.kavanagh@example.com', marketing: true },
  ],
  /** What each demo client has booked in the coming days (by service name). */
  clientBookings: ['Ladies Cut & Blow Dry', 'Full Head Colour', 'Gents Cut', 'Blow Dry', 'Gents Cut'],
  staffCategories: ['Senior Stylist', 'Stylist', 'Colourist', 'Junior Stylist'],
  serviceCategories: ['Cuts & Styling', 'Colour', 'Treatments'],
  rooms: [{ key: 'colour', name: 'Colour Bar', capacity: 2 }],
  services: [
    { key: 'ladies-cut', category: 'Cuts & Styling', name: 'Ladies Cut & Blow Dry', duration: 45, buffer: 15, price: 5500 },
    { key: 'gents-cut', category: 'Cuts & Styling', name: 'Gents Cut', duration: 30, buffer: 0, price: 2800 },
    { key: 'blow-dry', category: 'Cuts & Styling', name: 'Blow Dry', duration: 30, buffer: 0, price: 3000 },
    // Colour: 30 min to apply, 30 min processing in which the stylist is free, 30 min to finish.
    { key: 'full-colour', category: 'Colour', name: 'Full Head Colour', duration: 90, gap: [30, 30], buffer: 10, price: 9500, room: 'colour' },
    { key: 'root-touch-up', category: 'Colour', name: 'Root Touch-Up', duration: 60, gap: [20, 25], buffer: 10, price: 6500, room: 'colour' },
    { key: 'balayage', category: 'Colour', name: 'Balayage', duration: 150, gap: [60, 45], buffer: 15, price: 16000, room: 'colour' },
    { key: 'treatment', category: 'Treatments', name: 'Bond Repair Treatment', duration: 20, buffer: 5, price: 2500 },
    { key: 'consultation', category: 'Colour', name: 'Colour Consultation', duration: 15, buffer: 0, price: 0, online: false },
  ],
  staff: [
    {
      firstName: 'Aoife', lastName: 'Byrne', category: 'Senior Stylist',
      services: { 'ladies-cut': { price: 6500 }, 'blow-dry': {}, 'full-colour': {}, 'root-touch-up': {}, balayage: { duration: 165 }, treatment: {}, consultation: {} },
      roster: week({ TUESDAY: [['09:00', '17:30']], WEDNESDAY: [['09:00', '17:30']], THURSDAY: [['11:00', '20:00']], FRIDAY: [['09:00', '17:30']], SATURDAY: [['09:00', '17:00']] }),
    },
    {
      firstName: 'Conor', lastName: 'Walsh', category: 'Stylist',
      services: { 'ladies-cut': {}, 'gents-cut': {}, 'blow-dry': {} },
      roster: week({ MONDAY: [['10:00', '18:00']], TUESDAY: [['10:00', '18:00']], WEDNESDAY: [['10:00', '18:00']], THURSDAY: [['12:00', '20:00']], FRIDAY: [['10:00', '18:00']] }),
    },
    {
      firstName: 'Niamh', lastName: 'Kelly', category: 'Colourist',
      services: { 'full-colour': {}, 'root-touch-up': {}, balayage: {}, 'blow-dry': {}, treatment: {}, consultation: {} },
      roster: week({ MONDAY: [['10:00', '18:00']], TUESDAY: [['09:00', '17:00']], WEDNESDAY: [['09:00', '17:00']], FRIDAY: [['09:00', '17:00']], SATURDAY: [['09:00', '17:00']] }),
    },
    {
      firstName: 'Saoirse', lastName: 'Doyle', category: 'Junior Stylist',
      services: { 'gents-cut': { price: 2200 }, 'blow-dry': { price: 2500 }, treatment: {} },
      roster: week({ WEDNESDAY: [['09:00', '18:00']], THURSDAY: [['09:00', '13:00'], ['14:00', '20:00']], FRIDAY: [['09:00', '18:00']], SATURDAY: [['09:00', '17:00']] }),
    },
  ],
} as const;
