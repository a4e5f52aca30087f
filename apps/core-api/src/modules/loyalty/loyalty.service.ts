import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { limitOffset, pageOf } from '../../shared/http/paging';
import { iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { retryOnDeadlock } from '../retail/amounts';
import { LoyaltyLedgerQuery, LoyaltyPointsDto } from './dto/loyalty.dto';

interface LedgerRow {
  id: string;
  client_id: string;
  branch_id: string;
  operation_type: 'ADD' | 'DEDUCT';
  points_change: number;
  balance_after: number;
  description: string;
  created_by: string | null;
  created_at: Date;
}

const view = (r: LedgerRow) => ({
  transactionId: r.id,
  clientId: r.client_id,
  branchId: r.branch_id,
  operationType: r.operation_type,
  pointsChange: r.points_change,
  points: r.balance_after,
  description: r.description,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

/**
 * Loyalty points (Phorest's /loyaltypoints): client.loyalty_points is the balance and every
 * change is a ledger row with the balance after it. A deduction is one conditional UPDATE
 * (`loyalty_points + change >= 0`), so concurrent deductions can never take it below zero.
 */
@Injectable()
export class LoyaltyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
  ) {}

  async change(principal: Principal, businessId: string, dto: LoyaltyPointsDto) {
    await this.branches.require(businessId, dto.branchId);
    const change = dto.operationType === 'ADD' ? dto.pointsChange : -dto.pointsChange;
    const id = newId();
    const row = await retryOnDeadlock(() =>
      this.dataSource.transaction('READ COMMITTED', async (m) => {
        const now = new Date();
        const result: { affectedRows: number } = await m.query(
          'UPDATE client SET loyalty_points = loyalty_points + ?, version = version + 1, updated_at = ? WHERE id = ? AND business_id = ? AND loyalty_points + ? >= 0',
          [change, now, dto.clientId, businessId, change],
        );
        const [client]: { loyalty_points: number }[] = await m.query('SELECT loyalty_points FROM client WHERE id = ? AND business_id = ?', [
          dto.clientId,
          businessId,
        ]);
        if (!client)
          throw new ApiError(404, 'NOT_FOUND', 'Client not found', { fields: [{ field: 'clientId', message: 'no such client' }] });
        if (!result.affectedRows) {
          throw new ApiError(409, 'INSUFFICIENT_LOYALTY_POINTS', `The client has only ${client.loyalty_points} points`, {
            points: client.loyalty_points,
            fields: [{ field: 'pointsChange', message: `at most ${client.loyalty_points}` }],
          });
        }
        const entry: LedgerRow = {
          id,
          client_id: dto.clientId,
          branch_id: dto.branchId,
          operation_type: dto.operationType,
          points_change: change,
          balance_after: client.loyalty_points,
          description: dto.description,
          created_by: principal.userId,
          created_at: now,
        };
        await m.query(
          `INSERT INTO loyalty_transaction (id, business_id, client_id, branch_id, operation_type, points_change, balance_after, description, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            businessId,
            entry.client_id,
            entry.branch_id,
            entry.operation_type,
            entry.points_change,
            entry.balance_after,
            entry.description,
            entry.created_by,
            now,
          ],
        );
        return entry;
      }),
    );
    return view(row);
  }

  async ledger(businessId: string, q: LoyaltyLedgerQuery) {
    const [client]: { loyalty_points: number }[] = await this.dataSource.query(
      'SELECT loyalty_points FROM client WHERE id = ? AND business_id = ?',
      [q.clientId, businessId],
    );
    if (!client) throw ApiError.notFound('Client');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query('SELECT * FROM loyalty_transaction WHERE client_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?', [
        q.clientId,
        ...limitOffset(q),
      ]) as Promise<LedgerRow[]>,
      this.dataSource.query('SELECT COUNT(*) AS total FROM loyalty_transaction WHERE client_id = ?', [q.clientId]) as Promise<
        { total: number }[]
      >,
    ]);
    return { clientId: q.clientId, points: client.loyalty_points, ...pageOf('loyaltyTransactions', rows.map(view), Number(total), q) };
  }
}
