import { createEvent } from '@chairbook/contracts';
import { ApiError } from '@chairbook/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainEvents } from '../../events/domain-events';
import { BUSINESS_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { limitOffset, PageQuery, pageOf } from '../../shared/http/paging';
import { explainFailedUpdate, iso } from '../../shared/http/versioning';
import { newId } from '../../shared/ids';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import { BasicAuthGuard } from '../auth/basic-auth.guard';
import { hashPassword } from '../auth/password';
import type { Principal } from '../auth/principal';

const ROLES = ['OWNER', 'MANAGER', 'RECEPTION', 'STYLIST'] as const;

class CreateUserDto {
  @ApiProperty({ example: 'desk@foundation-hair.example', description: 'Logs in as global/<email>' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'a long passphrase', minLength: 10 })
  @IsString()
  @Length(10, 200)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: (typeof ROLES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ description: 'The staff member this user is (for stylists)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{22}$/, { message: 'must be a staff id' })
  staffId?: string;
}

class UpdateUserDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: (typeof ROLES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  archived?: boolean;
}

class ChangePasswordDto {
  @ApiProperty({ minLength: 10 })
  @IsString()
  @Length(10, 200)
  password!: string;
}

interface UserRow {
  id: string;
  email: string;
  role: string;
  first_name: string;
  last_name: string;
  staff_id: string | null;
  archived: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const view = (u: UserRow) => ({
  userId: u.id,
  email: u.email,
  username: `global/${u.email}`,
  role: u.role,
  firstName: u.first_name,
  lastName: u.last_name,
  staffId: u.staff_id,
  archived: !!u.archived,
  version: u.version,
  createdAt: iso(u.created_at),
  updatedAt: iso(u.updated_at),
});

const USERS = `${BUSINESS_PATH}/user`;
const ONE = `${USERS}/:userId`;

/**
 * API users of the business (our addition to Phorest's API): owners add front desk, managers
 * and stylists with their own credentials and roles. A password or role change, or archiving,
 * makes the old credential stop working at once on every copy of the service.
 */
@ApiTags('users')
@ApiBasicAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: DomainEvents,
    private readonly auth: BasicAuthGuard,
  ) {}

  @Get(USERS)
  @RequireRole('MANAGER')
  @ApiOperation({ summary: 'List the business’s API users' })
  async list(@Param('businessId') businessId: string, @Query() query: PageQuery) {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query('SELECT * FROM api_user WHERE business_id = ? ORDER BY email LIMIT ? OFFSET ?', [businessId, ...limitOffset(query)]) as Promise<UserRow[]>,
      this.dataSource.query('SELECT COUNT(*) AS total FROM api_user WHERE business_id = ?', [businessId]) as Promise<{ total: number }[]>,
    ]);
    return pageOf('users', rows.map(view), Number(total), query);
  }

  @Post(USERS)
  @RequireRole('OWNER')
  @ApiOperation({ summary: 'Add a user with a role (owners only)' })
  async create(@Param('businessId') businessId: string, @Body() dto: CreateUserDto) {
    if (dto.staffId) {
      const staff: unknown[] = await this.dataSource.query('SELECT id FROM staff WHERE id = ? AND business_id = ?', [dto.staffId, businessId]);
      if (!staff.length) throw ApiError.notFound('Staff member');
    }
    const id = newId();
    try {
      await this.dataSource.query(
        'INSERT INTO api_user (id, business_id, email, password_hash, role, first_name, last_name, staff_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))',
        [id, businessId, dto.email.toLowerCase(), await hashPassword(dto.password), dto.role, dto.firstName ?? '', dto.lastName ?? '', dto.staffId ?? null],
      );
    } catch (err) {
      if (String((err as Error).message).includes('uq_api_user_email')) throw ApiError.conflict('EMAIL_TAKEN', 'A user with that email already exists');
      throw err;
    }
    return this.get(businessId, id);
  }

  @Put(ONE)
  @RequireRole('OWNER')
  @ApiOperation({ summary: 'Change a user’s role or archive them (owners only)' })
  async update(@Param('businessId') businessId: string, @Param('userId', new IdPipe('userId')) userId: string, @Body() dto: UpdateUserDto, @CurrentPrincipal() me: Principal) {
    if (userId === me.userId && (dto.archived || (dto.role && dto.role !== 'OWNER'))) {
      throw ApiError.conflict('LAST_OWNER', 'You cannot demote or archive yourself; ask another owner');
    }
    await this.dataSource.transaction(async (m) => {
      const result: { affectedRows: number } = await m.query(
        `UPDATE api_user SET role = COALESCE(?, role), archived = COALESCE(?, archived), version = version + 1, updated_at = NOW(3)
          WHERE id = ? AND business_id = ? AND version = ?`,
        [dto.role ?? null, dto.archived === undefined ? null : dto.archived ? 1 : 0, userId, businessId, dto.version],
      );
      if (result.affectedRows === 0) await explainFailedUpdate(m, 'api_user', userId, businessId, 'User');
      await this.events.record(m, createEvent('user.credentials_changed', { userId }, { businessId }));
    });
    this.credentialsChanged(userId);
    return this.get(businessId, userId);
  }

  @Post(`${ONE}/password`)
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password (owners for anyone, everyone for themselves)' })
  async changePassword(@Param('businessId') businessId: string, @Param('userId', new IdPipe('userId')) userId: string, @Body() dto: ChangePasswordDto, @CurrentPrincipal() me: Principal) {
    if (me.userId !== userId && me.role !== 'OWNER') throw ApiError.forbidden('Only owners change other users’ passwords');
    const hash = await hashPassword(dto.password);
    await this.dataSource.transaction(async (m) => {
      const result: { affectedRows: number } = await m.query('UPDATE api_user SET password_hash = ?, version = version + 1, updated_at = NOW(3) WHERE id = ? AND business_id = ?', [
        hash,
        userId,
        businessId,
      ]);
      if (result.affectedRows === 0) throw ApiError.notFound('User');
      await this.events.record(m, createEvent('user.credentials_changed', { userId }, { businessId }));
    });
    this.credentialsChanged(userId);
  }

  private async get(businessId: string, userId: string) {
    const rows: UserRow[] = await this.dataSource.query('SELECT * FROM api_user WHERE id = ? AND business_id = ?', [userId, businessId]);
    if (!rows.length) throw ApiError.notFound('User');
    return view(rows[0]);
  }

  /** This copy forgets at once; the event tells the other copies (see CredentialsChangedListener). */
  private credentialsChanged(userId: string): void {
    this.auth.cache.forgetUser(userId);
    this.events.flush();
  }
}
