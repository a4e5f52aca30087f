import type { CoreBranch, CoreCategory, CoreService, CoreStaff } from './core-api.types';

/** A bookable service as the page shows it: prices and durations span the stylists who do it. */
export interface PublicService {
  id: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  durationMaxMinutes: number;
  price: number;
  priceMax: number;
}

export interface PublicStylist {
  id: string;
  name: string;
  profile: string | null;
  serviceIds: string[];
}

export interface PublicSalon {
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
  categories: { name: string; services: PublicService[] }[];
  stylists: PublicStylist[];
}

export function addressLines(branch: CoreBranch): string[] {
  return [branch.streetAddress1, branch.streetAddress2, [branch.city, branch.state].filter(Boolean).join(', '), branch.postalCode].filter((line): line is string => !!line && !!line.trim());
}

/** A map search for the salon: coordinates when the salon set them, else its address. */
export function mapUrl(branch: CoreBranch): string | null {
  if (branch.latitude !== null && branch.longitude !== null && branch.latitude !== undefined && branch.longitude !== undefined) {
    return `https://www.openstreetmap.org/?mlat=${branch.latitude}&mlon=${branch.longitude}#map=17/${branch.latitude}/${branch.longitude}`;
  }
  const lines = addressLines(branch);
  return lines.length ? `https://www.openstreetmap.org/search?query=${encodeURIComponent([branch.name, ...lines].join(', '))}` : null;
}

const fullName = (s: Pick<CoreStaff, 'firstName' | 'lastName'>) => [s.firstName, s.lastName].filter(Boolean).join(' ');

/**
 * The salon's public page data: only online-bookable services that at least one visible
 * stylist does, grouped by category in the salon's order. No business, branch or client ids.
 */
export function publicSalon(branch: CoreBranch, services: CoreService[], categories: CoreCategory[], staff: CoreStaff[]): PublicSalon {
  const stylists = staff.filter((s) => !s.hideFromOnlineBookings && !s.archived);
  const bookable = services.filter((s) => s.onlineBookable !== false && !s.archived);
  const shown: (PublicService & { categoryId: string | null })[] = [];
  for (const service of bookable) {
    const doers = stylists.flatMap((s) => s.services.filter((q) => q.serviceId === service.serviceId));
    if (!doers.length) continue;
    const prices = doers.map((q) => q.price ?? service.price);
    const durations = doers.map((q) => q.duration ?? service.duration);
    shown.push({
      id: service.serviceId,
      categoryId: service.categoryId,
      name: service.internetName || service.name,
      description: service.description ?? null,
      durationMinutes: Math.min(...durations),
      durationMaxMinutes: Math.max(...durations),
      price: Math.min(...prices),
      priceMax: Math.max(...prices),
    });
  }
  const ordered = [...categories].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || a.name.localeCompare(b.name));
  const groups = ordered
    .map((c) => ({ name: c.name, services: shown.filter((s) => s.categoryId === c.categoryId) }))
    .concat([{ name: 'Other services', services: shown.filter((s) => !s.categoryId || !categories.some((c) => c.categoryId === s.categoryId)) }])
    .filter((g) => g.services.length)
    .map((g) => ({ name: g.name, services: g.services.map(({ categoryId: _omit, ...rest }) => rest) }));
  const shownIds = new Set(shown.map((s) => s.id));
  return {
    slug: branch.slug,
    name: branch.name,
    businessName: branch.businessName,
    timeZone: branch.timeZone,
    country: branch.country,
    currencyCode: branch.currencyCode,
    address: addressLines(branch),
    phone: branch.phone,
    email: branch.email,
    mapUrl: mapUrl(branch),
    openingHours: branch.openingHours,
    rules: {
      holdMinutes: branch.onlineBooking.holdMinutes,
      cancellationWindowHours: branch.onlineBooking.cancellationWindowHours,
      horizonDays: branch.onlineBooking.horizonDays,
      minNoticeMinutes: branch.onlineBooking.minNoticeMinutes,
    },
    categories: groups,
    stylists: stylists
      .map((s) => ({ id: s.staffId, name: fullName(s), profile: s.onlineProfile ?? null, serviceIds: s.services.map((q) => q.serviceId).filter((id) => shownIds.has(id)) }))
      .filter((s) => s.serviceIds.length),
  };
}

export { fullName };
