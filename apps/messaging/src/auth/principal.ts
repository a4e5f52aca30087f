/** A salon user as core-api vouches for them (GET /third-party-api-server/api/principal). */
export interface Principal {
  userId: string;
  businessId: string;
  email: string;
  role: 'OWNER' | 'MANAGER' | 'RECEPTION' | 'STYLIST' | 'SERVICE';
  staffId: string | null;
}

const RANK = { STYLIST: 1, RECEPTION: 2, MANAGER: 3, OWNER: 4 } as const;

/** The booking site's SERVICE credential has no business in the salon's messaging screens. */
export function atLeast(principal: Principal, role: keyof typeof RANK): boolean {
  return principal.role !== 'SERVICE' && RANK[principal.role] >= RANK[role];
}
