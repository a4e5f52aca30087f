import { ApiError } from '@chairbook/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import type { Principal } from '../auth/principal';
import { BranchesService } from '../branches/branches.service';
import { minorOf, retryOnDeadlock } from '../retail/amounts';
import { CreateVoucherDto, UpdateVoucherDto, VoucherListQuery } from './dto/voucher.dto';
import { VoucherLedger } from './voucher-ledger';
import { VoucherRow, voucherTransactionView, voucherView } from './voucher.view';

/**
 * Gift vouchers of the business (Phorest's /voucher): issued with a serial and a balance,
 * redeemed as a tender at the till (purchases), adjusted by a manager, each change in the
 * voucher's history.
 */
@Injectable()
export class VouchersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly branches: BranchesService,
    private readonly ledger: VoucherLedger,
  ) {}

  async list(businessId: string, q: VoucherListQuery) {
    const where = ['business_id = ?'];
    const params: unknown[] = [businessId];
    if (q.clientId) {
      where.push('client_id = ?');
      params.push(q.clientId);
    }
    if (q.serialNumber) {
      where.push('serial_number = ?');
      params.push(q.serialNumber);
    }
    if (!q.includeUsed) where.push('remaining_balance_minor > 0 AND archived = 0');
    if (q.updated_from) {
      where.push('updated_at >= ?');
      params.push(new Date(q.updated_from));
    }
    if (q.updated_to) {
      where.push('updated_at <= ?');
      params.push(new Date(q.updated_to));
    }
    const clause = where.join(' AND ');
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT * FROM voucher WHERE ${clause} ORDER BY issue_date DESC, id LIMIT ? OFFSET ?`, [
        ...params,
        ...limitOffset(q),
      ]) as Promise<VoucherRow[]>,
      this.dataSource.query(`SELECT COUNT(*) AS total FROM voucher WHERE ${clause}`, params) as Promise<{ total: number }[]>,
    ]);
    return pageOf('vouchers', rows.map(voucherView), Number(total), q);
  }

  async get(businessId: string, voucherId: string) {
    return voucherView(await this.require(businessId, voucherId));
  }

  async create(principal: Principal, businessId: string, dto: CreateVoucherDto) {
    const branch = await this.branches.require(businessId, dto.creatingBranchId);
    if (dto.clientId) await this.requireClient(businessId, dto.clientId);
    const issueDate = dto.issueDate ? new Date(dto.issueDate) : new Date();
    const expiryDate = dto.expiryDate ? new Date(dto.expiryDate) : null;
    if (expiryDate && expiryDate <= issueDate) {
      throw ApiError.badRequest('VALIDATION_FAILED', 'expiryDate must be after issueDate', [
        { field: 'expiryDate', message: 'must be after issueDate' },
      ]);
    }
    const row = await this.dataSource.transaction((m) =>
      this.ledger.issue(
        m,
        { businessId, branchId: branch.id, userId: principal.userId },
        {
          serialNumber: dto.serialNumber,
          balanceMinor: minorOf(dto.originalBalance, branch.currency, 'originalBalance'),
          currency: branch.currency,
          creatingBranchId: branch.id,
          issueDate,
          expiryDate,
          clientId: dto.clientId ?? null,
          notes: dto.notes ?? null,
        },
      ),
    );
    return this.get(businessId, row.id);
  }

  /** Phorest's "update balance". Never below zero (400); with a version, a stale one is 409. */
  async update(principal: Principal, businessId: string, voucherId: string, dto: UpdateVoucherDto) {
    const current = await this.require(businessId, voucherId);
    const balance = minorOf(dto.remainingBalance, current.currency, 'remainingBalance');
    await retryOnDeadlock(() =>
      this.dataSource.transaction('READ COMMITTED', async (m) => {
        const [locked] = await this.ledger.lock(m, businessId, [{ voucherId }], () => 'voucherId');
        if (dto.version !== undefined && locked.version !== dto.version) {
          throw ApiError.conflict(
            'VERSION_CONFLICT',
            `The voucher was changed by someone else (now version ${locked.version}); read it again and retry`,
            { currentVersion: locked.version },
          );
        }
        if (locked.archived) throw new ApiError(409, 'VOUCHER_UNUSABLE', 'This voucher is void');
        await this.ledger.adjust(m, { businessId, branchId: null, userId: principal.userId }, locked, balance, dto.note);
      }),
    );
    return this.get(businessId, voucherId);
  }

  async history(businessId: string, voucherId: string, q: PageQuery) {
    const voucher = await this.require(businessId, voucherId);
    const [rows, [{ total }]] = await Promise.all([
      this.ledger.history(this.dataSource.manager, voucherId, ...limitOffset(q)),
      this.dataSource.query('SELECT COUNT(*) AS total FROM voucher_transaction WHERE voucher_id = ?', [voucherId]) as Promise<
        { total: number }[]
      >,
    ]);
    return pageOf(
      'voucherTransactions',
      rows.map((r) => voucherTransactionView(r, voucher.currency)),
      Number(total),
      q,
    );
  }

  private async require(businessId: string, voucherId: string): Promise<VoucherRow> {
    const [row]: VoucherRow[] = await this.dataSource.query('SELECT * FROM voucher WHERE id = ? AND business_id = ?', [
      voucherId,
      businessId,
    ]);
    if (!row) throw ApiError.notFound('Voucher');
    return row;
  }

  private async requireClient(businessId: string, clientId: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query('SELECT id FROM client WHERE id = ? AND business_id = ?', [clientId, businessId]);
    if (!rows.length) throw ApiError.notFound('Client');
  }
}
