import { Injectable } from '@nestjs/common';
import type { BranchRow } from './branch.view';

/** How many branch rows one copy keeps (~1.5 KB each); the oldest goes first beyond it. */
const MAX_BRANCHES = 10_000;

/**
 * The last branch row (with its business's calendar version) each branch was read with, by
 * id. Only a route that re-checks the calendar version inside its own transaction may trust an
 * entry (see `@CachedTenantBranch()`): every change to a branch moves that version (a
 * trigger, see the calendar_version migration), so an entry whose version still matches is
 * the row as the database holds it. A branch never changes business and is never deleted, so
 * an entry always answers the tenancy question right.
 */
@Injectable()
export class BranchRowCache {
  private readonly rows = new Map<string, BranchRow>();

  /** The cached row of `branchId`, if it belongs to `businessId`. */
  get(branchId: string, businessId: string): BranchRow | undefined {
    const row = this.rows.get(branchId);
    return row && row.business_id === businessId ? row : undefined;
  }

  /** Keeps the row just read (it must carry `calendar_version`, as BRANCH_WITH_CALENDAR_VERSION reads it). */
  remember(row: BranchRow): void {
    if (row.calendar_version === undefined) return;
    this.rows.delete(row.id);
    this.rows.set(row.id, row);
    if (this.rows.size > MAX_BRANCHES) this.rows.delete(this.rows.keys().next().value as string);
  }

  forget(branchId: string): void {
    this.rows.delete(branchId);
  }
}
