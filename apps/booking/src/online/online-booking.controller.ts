import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { Response } from 'express';
import { bookingCalendar } from './ics';
import { OnlineBookingService } from './online-booking.service';
import { PublicThrottlerGuard } from './public-throttler.guard';

const ID = /^[A-Za-z0-9_-]{22}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

class AvailabilityDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(ID, { each: true, message: 'must be service ids' })
  serviceIds!: string[];

  @IsOptional()
  @Matches(ID, { message: 'must be a stylist id' })
  stylistId?: string;

  @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' })
  from!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(14)
  days!: number;
}

class MoveTimesDto {
  @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' })
  from!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(14)
  days!: number;
}

class HoldDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(ID, { each: true, message: 'must be service ids' })
  serviceIds!: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(ID, { each: true, message: 'must be stylist ids' })
  stylistIds!: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(24 * 60, { each: true })
  offsets!: number[];

  @IsISO8601({ strict: true })
  startTime!: string;

  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'must not be blank' })
  firstName!: string;

  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'must not be blank' })
  lastName!: string;

  @IsString()
  @Length(5, 32)
  mobile!: string;

  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @IsOptional()
  @IsBoolean()
  reminderConsent?: boolean;

  @IsOptional()
  @IsBoolean()
  marketingConsent?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

class RescheduleDto {
  @IsISO8601({ strict: true })
  startTime!: string;
}

const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The booking pages' JSON API. Salon pages are addressed by slug, bookings by their signed
 * token (the same one as in the "manage my booking" link): the browser never names a business,
 * branch or client.
 */
@Controller('book/api')
@UseGuards(PublicThrottlerGuard)
@SkipThrottle({ holds: true })
export class OnlineBookingController {
  constructor(private readonly online: OnlineBookingService) {}

  @Get('salons/:slug')
  async salon(@Param('slug') slug: string, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'public, max-age=60');
    return this.online.salon(slug);
  }

  @Post('salons/:slug/availability')
  @HttpCode(200)
  availability(@Param('slug') slug: string, @Body() dto: AvailabilityDto) {
    return this.online.availability(slug, dto.serviceIds, dto.stylistId, dto.from, dto.days);
  }

  @Post('salons/:slug/holds')
  @SkipThrottle({ holds: false })
  hold(@Param('slug') slug: string, @Body() dto: HoldDto, @Ip() ip: string, @Headers('idempotency-key') key?: string) {
    return this.online.hold(slug, dto, ip, key && IDEMPOTENCY_KEY.test(key) ? key : undefined);
  }

  @Get('bookings/:token')
  booking(@Param('token') token: string, @Query('salon') salon?: string) {
    return this.online.get(checkToken(token), hint(salon));
  }

  @Post('bookings/:token/confirm')
  @HttpCode(200)
  confirm(@Param('token') token: string, @Query('salon') salon?: string) {
    return this.online.confirm(checkToken(token), hint(salon));
  }

  @Post('bookings/:token/cancel')
  @HttpCode(200)
  cancel(@Param('token') token: string, @Query('salon') salon?: string) {
    return this.online.cancel(checkToken(token), hint(salon));
  }

  @Post('bookings/:token/availability')
  @HttpCode(200)
  moveTimes(@Param('token') token: string, @Body() dto: MoveTimesDto, @Query('salon') salon?: string) {
    return this.online.moveTimes(checkToken(token), dto.from, dto.days, hint(salon));
  }

  @Post('bookings/:token/reschedule')
  @HttpCode(200)
  reschedule(@Param('token') token: string, @Body() dto: RescheduleDto, @Query('salon') salon?: string) {
    return this.online.reschedule(checkToken(token), dto.startTime, hint(salon));
  }

  @Get('bookings/:token/calendar.ics')
  async calendar(@Param('token') token: string, @Res() res: Response, @Query('salon') salon?: string) {
    const view = await this.online.get(checkToken(token), hint(salon));
    res
      .status(200)
      .setHeader('Content-Type', 'text/calendar; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="booking-${view.reference.toLowerCase()}.ics"`)
      .setHeader('Cache-Control', 'private, no-store')
      .send(bookingCalendar(view));
  }
}

/** `?salon=<slug>`: which salon page the visitor came from (checked against the token's branch). */
function hint(salon: unknown): string | undefined {
  return typeof salon === 'string' && /^[a-z0-9-]{1,100}$/.test(salon) ? salon : undefined;
}

function checkToken(token: string): string {
  // Malformed tokens get the same answer as forged ones (verifyManageToken decides).
  return TOKEN.test(token) && token.length <= 2048 ? token : 'invalid.token';
}
