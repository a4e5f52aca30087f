import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ResourceCalendar, ServiceRule } from '../../scheduling';
import { placeholders } from './shared/catalogue.sql';
import { loadServiceResources } from './services/service-rules';
import type { ServiceRow } from './services/service.view';

/** A service as the scheduling and booking code needs it: the engine's rule plus what to store and show. */
export interface CatalogueService extends ServiceRule {
  readonly name: string;
  /** Online name; show it in preference to `name` when present. */
  readonly internetName: string | null;
  readonly categoryId: string | null;
  /** In minor units of the branch currency (see shared/money.ts). */
  readonly priceMinor: number;
  readonly archived: boolean;
}

export interface BranchResources {
  /** Non-archived rooms with their capacity; `usages` left for the caller to fill. */
  readonly rooms: ResourceCalendar[];
  readonly machines: ResourceCalendar[];
}

/**
 * Read-only catalogue queries for other modules (availability, booking): the services of a
 * branch with their timing rules and room/machine requirements, and the branch's rooms and
 * machines with their capacity, in the scheduling engine's shapes (src/scheduling/types.ts).
 * Always scoped by business and branch: ids of another business or branch are simply absent.
 * Pass `manager` to read inside the caller's transaction.
 */
@Injectable()
export class CatalogueQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Services of the branch with their rules, in list order (sort order, name, id).
   * `serviceIds` undefined = every service of the branch; an empty list = none. Unknown ids
   * (and, unless `includeArchived`, archived services) are left out, so callers compare
   * lengths to find them. `roomIds`/`machineIds` list every resource linked to the service,
   * archived ones included: `loadResources` leaves those out, so the engine sees no capacity
   * for them (the safe side) and a service whose only room was archived is not bookable.
   */
  async loadServiceRules(
    businessId: string,
    branchId: string,
    serviceIds?: readonly string[],
    options: { includeArchived?: boolean; manager?: EntityManager } = {},
  ): Promise<CatalogueService[]> {
    if (serviceIds && !serviceIds.length) return [];
    const m = options.manager ?? this.dataSource.manager;
    const conditions = ['business_id = ?', 'branch_id = ?', ...(options.includeArchived ? [] : ['archived = 0'])];
    const params: unknown[] = [businessId, branchId];
    if (serviceIds) {
      conditions.push(`id IN (${placeholders(serviceIds)})`);
      params.push(...serviceIds);
    }
    const rows: ServiceRow[] = await m.query(
      `SELECT * FROM service WHERE ${conditions.join(' AND ')} ORDER BY sort_order, name, id`,
      params,
    );
    const resources = await loadServiceResources(
      m,
      businessId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      internetName: row.internet_name,
      categoryId: row.category_id,
      durationMinutes: row.duration_minutes,
      ...(row.gap_duration_minutes > 0 && row.gap_start_minutes !== null
        ? { gap: { startAfterMinutes: row.gap_start_minutes, durationMinutes: row.gap_duration_minutes } }
        : {}),
      bufferAfterMinutes: row.buffer_after_minutes,
      onlineBookable: !!row.online_bookable,
      roomIds: resources.get(row.id)?.roomIds ?? [],
      machineIds: resources.get(row.id)?.machineIds ?? [],
      priceMinor: row.price_minor,
      archived: !!row.archived,
    }));
  }

  /** The branch's non-archived rooms and machines with their capacity, ids in string order. */
  async loadResources(businessId: string, branchId: string, manager: EntityManager = this.dataSource.manager): Promise<BranchResources> {
    const sql = (table: string) => `SELECT id, capacity FROM ${table} WHERE business_id = ? AND branch_id = ? AND archived = 0 ORDER BY id`;
    const [rooms, machines] = await Promise.all([
      manager.query(sql('room'), [businessId, branchId]) as Promise<{ id: string; capacity: number }[]>,
      manager.query(sql('machine'), [businessId, branchId]) as Promise<{ id: string; capacity: number }[]>,
    ]);
    const calendar = (r: { id: string; capacity: number }): ResourceCalendar => ({ id: r.id, capacity: r.capacity, usages: [] });
    return { rooms: rooms.map(calendar), machines: machines.map(calendar) };
  }
}
