/** Who is calling: one user of one business, with a role that limits what they may change. */
export type Role = 'OWNER' | 'MANAGER' | 'RECEPTION' | 'STYLIST' | 'SERVICE';

export interface Principal {
  userId: string;
  /** Null only for the booking site's SERVICE credential, which serves every salon's pages. */
  businessId: string | null;
  email: string;
  role: Role;
  staffId: string | null;
  /** The user row's version when verified; a password change bumps it. */
  version: number;
}

/** Salon roles in order of trust. SERVICE (the booking site's credential) sits apart. */
const RANK: Record<Exclude<Role, 'SERVICE'>, number> = { STYLIST: 1, RECEPTION: 2, MANAGER: 3, OWNER: 4 };

export function hasRole(principal: Principal, minimum: Exclude<Role, 'SERVICE'>, allowService: boolean): boolean {
  if (principal.role === 'SERVICE') return allowService;
  return RANK[principal.role] >= RANK[minimum];
}
