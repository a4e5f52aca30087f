// Deterministic, realistic-looking salon data: the same --seed gives the same rows, so two runs
// measure the same data set. Names and numbers are made up; phones are valid Irish (and a few
// UK) mobiles in E.164, unique across the whole data set; emails are unique and lower-case.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** mulberry32: a small seeded PRNG. */
export function rng(seed) {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** A 22-character URL-safe id, the shape core-api's newId() makes. */
    id: () => {
      const bytes = Buffer.allocUnsafe(16);
      for (let i = 0; i < 16; i += 4) bytes.writeUInt32LE(Math.floor(next() * 4294967296) >>> 0, i);
      return bytes.toString('base64url');
    },
  };
}

export const FIRST_NAMES = {
  FEMALE: ['Aoife', 'Niamh', 'Saoirse', 'Ciara', 'Sinead', 'Orla', 'Roisin', 'Emma', 'Sarah', 'Grainne', 'Clodagh', 'Aisling', 'Caoimhe', 'Laura', 'Rachel', 'Siobhan', 'Eimear', 'Mairead', 'Fiona', 'Deirdre', 'Katie', 'Chloe', 'Amy', 'Sophie', 'Lucy', 'Hannah', 'Ava', 'Grace', 'Ella', 'Mia'],
  MALE: ['Conor', 'Sean', 'Padraig', 'Cian', 'Darragh', 'Eoin', 'Oisin', 'Liam', 'Jack', 'James', 'Niall', 'Ronan', 'Fionn', 'Cathal', 'Diarmuid', 'Kevin', 'Mark', 'David', 'Brian', 'Declan', 'Adam', 'Luke', 'Tadhg', 'Killian', 'Shane'],
  OTHER: ['Alex', 'Sam', 'Jordan', 'Robin', 'Charlie'],
};
export const LAST_NAMES = ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', 'Smith', "O'Brien", 'Byrne', 'Ryan', "O'Connor", "O'Neill", 'Reilly', 'Doyle', 'McCarthy', 'Gallagher', 'Doherty', 'Kennedy', 'Lynch', 'Murray', 'Quinn', 'Moore', 'McLoughlin', 'Carroll', 'Connolly', 'Daly', 'Connell', 'Wilson', 'Dunne', 'Brennan', 'Burke', 'Collins', 'Campbell', 'Clarke', 'Johnston', 'Hughes', 'Farrell', 'Fitzgerald', 'Brown', 'Martin', 'Maguire', 'Nolan', 'Flynn', 'Thompson', 'Callaghan', 'Duffy', 'Mahony', 'Boyle', 'Healy', 'Shea', 'White', 'Sweeney'];
const CITIES = [
  ['Dublin 2', 'D02'], ['Dublin 4', 'D04'], ['Dublin 6', 'D06'], ['Dublin 8', 'D08'], ['Dun Laoghaire', 'A96'], ['Swords', 'K67'],
  ['Bray', 'A98'], ['Cork', 'T12'], ['Galway', 'H91'], ['Limerick', 'V94'],
];
const STREETS = ['Main Street', 'Church Road', 'Drury Street', 'Harcourt Street', 'Station Road', 'Strand Road', 'Grove Park', 'Ashfield Avenue', 'Oak Lawn', 'Seafield Road'];
const EMAIL_DOMAINS = ['example.com', 'example.ie', 'example.net', 'example.org'];
const IE_MOBILE_PREFIXES = ['83', '85', '86', '87', '89'];
const UK_MOBILE_DIGITS = ['4', '5', '7', '8', '9'];

/**
 * The i-th mobile number of the data set, unique for every i below 50 million: an Irish mobile
 * (+353 8x xxx xxxx) for most, a UK one (+44 7xxx xxxxxx) for every 25th. The subscriber
 * number is a bijection of i (multiplier coprime to 10^7), so numbers look scattered.
 */
export function mobileFor(i) {
  if (i % 25 === 24) {
    const n = Math.floor(i / 25);
    const subscriber = String((n * 7_654_321 + 1_234_567) % 100_000_000).padStart(8, '0');
    // Some UK blocks are unallocated: try the next 7x range (the subscriber part alone is unique).
    for (let k = 0; k < 5; k++) {
      const candidate = `+447${UK_MOBILE_DIGITS[(n + k) % 5]}${subscriber}`;
      if (isValidMobile(candidate)) return candidate;
    }
    return `+447${UK_MOBILE_DIGITS[n % 5]}${subscriber}`;
  }
  const n = i - Math.floor(i / 25);
  const prefix = IE_MOBILE_PREFIXES[n % 5];
  const subscriber = String((Math.floor(n / 5) * 3_967_841 + 2_718_281) % 10_000_000).padStart(7, '0');
  return `+353${prefix}${subscriber}`;
}

export function isValidMobile(e164) {
  const parsed = parsePhoneNumberFromString(e164);
  return !!parsed?.isValid() && parsed.number === e164;
}

/** The forms integrators send for a stored E.164 number: with +, without it, or local. */
export function phoneForms(e164) {
  const forms = [e164, e164.slice(1)];
  if (e164.startsWith('+353')) forms.push(`0${e164.slice(4)}`, `0${e164.slice(4, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}`);
  return forms;
}

const slugPart = (s) => s.toLowerCase().replace(/[^a-z]/g, '');

export function clientRow(r, i, { businessId, branchIds, staffIds, now }) {
  const gender = r.chance(0.78) ? 'FEMALE' : r.chance(0.9) ? 'MALE' : 'OTHER';
  const first = r.pick(FIRST_NAMES[gender]);
  const last = r.pick(LAST_NAMES);
  const [city, eircode] = r.pick(CITIES);
  const created = new Date(now - r.int(1, 3 * 365) * 86_400_000 - r.int(0, 86_399) * 1000);
  const updated = r.chance(0.4) ? new Date(created.getTime() + r.int(0, now - created.getTime())) : created;
  const hasEmail = r.chance(0.92);
  const birth = r.chance(0.55) ? new Date(Date.UTC(r.int(1950, 2007), r.int(0, 11), r.int(1, 28))) : null;
  const smsReminder = r.chance(0.85);
  const emailReminder = hasEmail && r.chance(0.6);
  return {
    id: r.id(),
    business_id: businessId,
    creating_branch_id: r.pick(branchIds),
    first_name: first,
    last_name: last,
    mobile: mobileFor(i),
    landline: r.chance(0.05) ? `+3531${String(4_000_000 + r.int(0, 999_999)).padStart(7, '0')}` : null,
    email: hasEmail ? `${slugPart(first)}.${slugPart(last)}${i}@${r.pick(EMAIL_DOMAINS)}` : null,
    gender,
    birth_date: birth,
    street_address1: r.chance(0.5) ? `${r.int(1, 250)} ${r.pick(STREETS)}` : null,
    street_address2: null,
    city: r.chance(0.5) ? city : null,
    state: null,
    postal_code: r.chance(0.3) ? `${eircode} ${r.pick(['X', 'Y', 'K', 'P'])}${r.int(100, 999)}` : null,
    country: 'IE',
    notes: r.chance(0.15) ? r.pick(['Sensitive scalp', 'Prefers Aoife', 'Patch test done', 'Allergic to PPD', 'Likes a head massage', 'Runs late']) : null,
    external_id: r.chance(0.1) ? `legacy-${100_000 + i}` : null,
    preferred_staff_id: staffIds.length && r.chance(0.3) ? r.pick(staffIds) : null,
    sms_reminder_consent: smsReminder ? 1 : 0,
    email_reminder_consent: emailReminder ? 1 : 0,
    sms_marketing_consent: smsReminder && r.chance(0.5) ? 1 : 0,
    email_marketing_consent: emailReminder && r.chance(0.4) ? 1 : 0,
    loyalty_points: r.chance(0.6) ? r.int(0, 2_000) : 0,
    banned: r.chance(0.002) ? 1 : 0,
    archived: r.chance(0.01) ? 1 : 0,
    version: updated === created ? 1 : r.int(2, 6),
    created_at: created,
    updated_at: updated,
  };
}

export const SERVICE_CATALOGUE = [
  // [category, name, duration, gap [start, length] or null, buffer, price in cents]
  ['Cuts & Styling', 'Ladies Cut & Blow Dry', 45, null, 15, 5500],
  ['Cuts & Styling', 'Gents Cut', 30, null, 0, 2800],
  ['Cuts & Styling', 'Blow Dry', 30, null, 0, 3000],
  ['Cuts & Styling', 'Kids Cut', 20, null, 0, 1800],
  ['Cuts & Styling', 'Upstyle', 60, null, 10, 6500],
  ['Cuts & Styling', 'Fringe Trim', 10, null, 0, 800],
  ['Colour', 'Full Head Colour', 90, [30, 30], 10, 9500],
  ['Colour', 'Root Touch-Up', 60, [20, 25], 10, 6500],
  ['Colour', 'Balayage', 150, [60, 45], 15, 16000],
  ['Colour', 'Half Head Foils', 90, [30, 35], 10, 8500],
  ['Colour', 'Toner', 30, [10, 15], 5, 3000],
  ['Colour', 'Colour Consultation', 15, null, 0, 0],
  ['Treatments', 'Bond Repair Treatment', 20, null, 5, 2500],
  ['Treatments', 'Scalp Treatment', 30, null, 5, 3500],
  ['Treatments', 'Keratin Smoothing', 120, [40, 30], 15, 18000],
  ['Beauty', 'Brow Shape', 15, null, 5, 1500],
  ['Beauty', 'Brow Tint', 15, [5, 10], 0, 1200],
  ['Beauty', 'Lash Lift', 45, [15, 15], 5, 4500],
  ['Beauty', 'Gel Manicure', 45, null, 10, 3500],
  ['Beauty', 'Pedicure', 50, null, 10, 4000],
];
export const STAFF_CATEGORIES = ['Senior Stylist', 'Stylist', 'Colourist', 'Junior Stylist', 'Beauty Therapist'];
export const CLIENT_CATEGORIES = ['VIP', 'Colour Client', 'Bridal', 'Student', 'Staff Family', 'Lapsed', 'Loyalty Gold', 'Men'];
