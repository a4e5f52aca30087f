import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../modules/auth/password';
import { Weekday } from '../modules/business/use-cases/create-business/create-business.command';
import { CreateBusinessUseCase } from '../modules/business/use-cases/create-business/create-business.use-case';
import { newId } from '../shared/ids';
import type { Principal } from '../modules/auth/principal';
import { CreateBookingUseCase } from '../modules/appointments/use-cases/create-booking.use-case';
import { FindAvailabilityUseCase } from '../modules/appointments/use-cases/find-availability.use-case';
import { DEMO_OWNER_EMAIL, DEMO_SLUG, demoSalon } from './demo-salon';

export interface DemoSeedResult {
  created: boolean;
  businessId: string;
  branchId: string;
  slug: string;
  ownerEmail: string;
  /** Set when this run chose or changed the password (otherwise it is whatever it was). */
  password?: string;
  passwordGenerated?: boolean;
}

const DAY_NUMBER: Record<Weekday, number> = {
  MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6, SUNDAY: 7,
};

/**
 * Seeds Foundation Hair exactly once (the branch slug is unique, so even two concurrent runs
 * create one salon). Later runs only make sure `DEMO_PASSWORD`, when given, is the owner's.
 */
@Injectable()
export class SeedDemoUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly createBusiness: CreateBusinessUseCase,
    private readonly availability: FindAvailabilityUseCase,
    private readonly booking: CreateBookingUseCase,
  ) {}

  async execute(demoPassword?: string): Promise<DemoSeedResult> {
    const existing: { business_id: string; id: string }[] = await this.dataSource.query(
      'SELECT business_id, id FROM branch WHERE slug = ?',
      [DEMO_SLUG],
    );
    if (existing.length) {
      const result: DemoSeedResult = { created: false, businessId: existing[0].business_id, branchId: existing[0].id, slug: DEMO_SLUG, ownerEmail: DEMO_OWNER_EMAIL };
      if (demoPassword) {
        const [owner]: { id: string; password_hash: string }[] = await this.dataSource.query(
          'SELECT id, password_hash FROM api_user WHERE email = ?',
          [DEMO_OWNER_EMAIL],
        );
        if (owner && !(await verifyPassword(owner.password_hash, demoPassword))) {
          await this.dataSource.query('UPDATE api_user SET password_hash = ?, version = version + 1, updated_at = NOW(3) WHERE id = ?', [
            await hashPassword(demoPassword),
            owner.id,
          ]);
        }
        result.password = demoPassword;
      }
      return result;
    }

    const password = demoPassword ?? randomBytes(12).toString('base64url');
    const { businessId, branchId } = await this.createBusiness.execute({
      name: demoSalon.name,
      owner: { email: DEMO_OWNER_EMAIL, password, firstName: 'Foundation', lastName: 'Owner' },
      branch: { ...demoSalon.branch, openingHours: demoSalon.branch.openingHours },
    });
    await this.seedCatalogue(businessId, branchId);
    await this.seedClientsAndBookings(businessId, branchId);
    return { created: true, businessId, branchId, slug: DEMO_SLUG, ownerEmail: DEMO_OWNER_EMAIL, password, passwordGenerated: !demoPassword };
  }

  /**
   * A few returning clients with appointments on the salon's next open days, booked through
   * the real availability and booking rules, so the appointment book and the booking pages
   * show a working salon rather than an empty one.
   */
  private async seedClientsAndBookings(businessId: string, branchId: string): Promise<void> {
    const clientIds: string[] = [];
    for (const c of demoSalon.clients) {
      const id = newId();
      clientIds.push(id);
      await this.dataSource.query(
        `INSERT INTO client (id, business_id, creating_branch_id, first_name, last_name, mobile, email, sms_reminder_consent, email_reminder_consent,
           sms_marketing_consent, email_marketing_consent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, NOW(3), NOW(3))`,
        [id, businessId, branchId, c.firstName, c.lastName, c.mobile, c.email, c.marketing ? 1 : 0, c.marketing ? 1 : 0],
      );
    }
    const services: { id: string; name: string }[] = await this.dataSource.query('SELECT id, name FROM service WHERE branch_id = ? ORDER BY sort_order', [branchId]);
    const serviceId = (name: string) => services.find((s) => s.name === name)!.id;
    const owner: Principal = { userId: 'seed', businessId, email: DEMO_OWNER_EMAIL, role: 'OWNER', staffId: null, version: 1 };
    const start = Date.now() + 24 * 3_600_000;
    for (const [i, clientId] of clientIds.entries()) {
      const wanted = demoSalon.clientBookings[i % demoSalon.clientBookings.length];
      const found = await this.availability.execute(businessId, branchId, {
        selection: [{ serviceId: serviceId(wanted) }],
        window: { start: start + i * 86_400_000 * 0.5, end: start + 7 * 86_400_000 },
        online: false,
      });
      const slot = found.data[3 + ((i * 5) % 7)] ?? found.data[0];
      if (!slot) continue;
      const schedule = slot.clientSchedules[0].serviceSchedules[0];
      await this.booking.execute(owner, businessId, branchId, {
        clientAppointmentSchedules: [{ clientId, serviceSchedules: [{ serviceId: schedule.serviceId, staffId: schedule.staffId, startTime: schedule.startTime }] }],
      });
    }
  }

  private async seedCatalogue(businessId: string, branchId: string): Promise<void> {
    const now = new Date();
    await this.dataSource.transaction(async (m) => {
      const staffCategory = new Map<string, string>();
      for (const name of demoSalon.staffCategories) {
        const id = newId();
        staffCategory.set(name, id);
        await m.query('INSERT INTO staff_category (id, business_id, branch_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [id, businessId, branchId, name, now, now]);
      }
      const serviceCategory = new Map<string, string>();
      for (const [index, name] of demoSalon.serviceCategories.entries()) {
        const id = newId();
        serviceCategory.set(name, id);
        await m.query('INSERT INTO service_category (id, business_id, branch_id, name, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, businessId, branchId, name, index, now, now]);
      }
      const room = new Map<string, string>();
      for (const r of demoSalon.rooms) {
        const id = newId();
        room.set(r.key, id);
        await m.query('INSERT INTO room (id, business_id, branch_id, name, capacity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, businessId, branchId, r.name, r.capacity, now, now]);
      }
      const service = new Map<string, string>();
      for (const [index, s] of demoSalon.services.entries()) {
        const id = newId();
        service.set(s.key, id);
        const gap = 'gap' in s ? s.gap : null;
        await m.query(
          `INSERT INTO service (id, business_id, branch_id, category_id, name, duration_minutes, gap_start_minutes, gap_duration_minutes,
             buffer_after_minutes, price_minor, online_bookable, sort_order, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, businessId, branchId, serviceCategory.get(s.category), s.name, s.duration, gap?.[0] ?? null, gap?.[1] ?? 0, s.buffer, s.price, 'online' in s ? s.online : true, index, now, now],
        );
        if ('room' in s && s.room) {
          await m.query("INSERT INTO service_resource (business_id, service_id, resource_type, resource_id) VALUES (?, ?, 'ROOM', ?)", [businessId, id, room.get(s.room)]);
        }
      }
      for (const person of demoSalon.staff) {
        const staffId = newId();
        const email = `${person.firstName.toLowerCase()}@foundation-hair.example`;
        await m.query(
          'INSERT INTO staff (id, business_id, branch_id, staff_category_id, first_name, last_name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [staffId, businessId, branchId, staffCategory.get(person.category), person.firstName, person.lastName, email, now, now],
        );
        for (const [key, own] of Object.entries(person.services) as [string, { price?: number; duration?: number }][]) {
          await m.query('INSERT INTO staff_service (business_id, staff_id, service_id, price_minor, duration_minutes) VALUES (?, ?, ?, ?, ?)', [businessId, staffId, service.get(key), own.price ?? null, own.duration ?? null]);
        }
        for (const [day, shifts] of Object.entries(person.roster) as [Weekday, readonly (readonly [string, string])[]][]) {
          for (const [start, end] of shifts) {
            await m.query('INSERT INTO staff_roster_interval (business_id, staff_id, day_of_week, start_time, end_time) VALUES (?, ?, ?, ?, ?)', [businessId, staffId, DAY_NUMBER[day], start, end]);
          }
        }
      }
    });
  }
}
