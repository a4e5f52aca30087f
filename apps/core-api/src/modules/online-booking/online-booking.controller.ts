import { ApiError } from '@chairbook/platform';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsISO8601, IsString, Length, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { BRANCH_PATH, BUSINESS_PATH } from '../../shared/http/api-paths';
import { IdPipe } from '../../shared/http/id.pipe';
import { IsOptionalNotNull } from '../../shared/http/optional';
import { CurrentPrincipal, RequireRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { BranchRow, branchView } from '../branches/branch.view';
import { OnlineBookingService } from './online-booking.service';

export class OnlineClientDto {
  @ApiProperty({ example: 'Siobhán' })
  @IsString()
  @Length(1, 100)
  firstName!: string;

  @ApiProperty({ example: 'Murphy' })
  @IsString()
  @Length(1, 100)
  lastName!: string;

  @ApiProperty({ example: '+353871234567', description: 'Mobile; local forms read with the branch country' })
  @IsString()
  @MaxLength(32)
  mobile!: string;

  @ApiProperty({ example: 'siobhan@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ description: 'Reminders by text and email (one box on the page)' })
  @IsOptionalNotNull()
  @IsBoolean()
  reminderConsent?: boolean;

  @ApiPropertyOptional({ description: 'Offers by text and email' })
  @IsOptionalNotNull()
  @IsBoolean()
  marketingConsent?: boolean;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2026-12-04T11:00:00.000Z', description: 'The new start of the booking’s first service (ISO instant)' })
  @IsISO8601({ strict: true })
  startTime!: string;
}

/**
 * What the public booking site needs beyond Phorest's API, for its SERVICE credential only:
 * find a branch by its page address, match or create the customer, and move a booking.
 */
@ApiTags('online booking (booking site)')
@ApiBasicAuth()
@Controller()
export class OnlineBookingController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly online: OnlineBookingService,
  ) {}

  @Get('third-party-api-server/api/online/branch/:slug')
  @RequireRole('OWNER', { service: true })
  @ApiOperation({ summary: 'A branch by its booking page address (/book/<slug>), with its business id' })
  async branchBySlug(@Param('slug') slug: string) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) throw ApiError.notFound('Branch');
    const rows: (BranchRow & { business_name: string })[] = await this.dataSource.query(
      'SELECT b.*, bu.name AS business_name FROM branch b JOIN business bu ON bu.id = b.business_id WHERE b.slug = ? AND b.archived = 0',
      [slug],
    );
    if (!rows.length) throw ApiError.notFound('Branch');
    return { businessId: rows[0].business_id, businessName: rows[0].business_name, ...branchView(rows[0]) };
  }

  @Post(`${BUSINESS_PATH}/online/client`)
  @HttpCode(200)
  @RequireRole('OWNER', { service: true })
  @ApiOperation({ summary: 'The customer’s client record: matched by mobile or email (returning customers), else created' })
  matchOrCreateClient(@Param('businessId') businessId: string, @Body() dto: OnlineClientDto) {
    return this.online.matchOrCreateClient(businessId, dto);
  }

  @Post(`${BRANCH_PATH}/booking/:bookingId/reschedule`)
  @HttpCode(200)
  @RequireRole('RECEPTION', { service: true })
  @ApiOperation({ summary: 'Move a whole booking to a new start (online: within the cancellation window and booking rules)' })
  reschedule(
    @CurrentPrincipal() principal: Principal,
    @Param('businessId') businessId: string,
    @Param('branchId', new IdPipe('branchId')) branchId: string,
    @Param('bookingId', new IdPipe('bookingId')) bookingId: string,
    @Body() dto: RescheduleBookingDto,
  ) {
    return this.online.reschedule(businessId, branchId, bookingId, dto.startTime, { online: principal.role === 'SERVICE' });
  }
}
