import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';
import { IsOptionalNotNull } from '../../../shared/http/optional';
import { IsEntityId } from '../../catalogue/shared/catalogue.dto';
import { IsMoney } from '../../retail/amounts';
import { SERIAL } from '../../vouchers/dto/voucher.dto';

export const ITEM_TYPES = ['APPOINTMENT', 'SERVICE', 'PRODUCT', 'VOUCHER', 'TIP'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const PAYMENT_TYPES = ['CASH', 'CARD', 'VOUCHER', 'OTHER'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];
/** A purchase number: printable, no spaces, unique in the branch. */
const NUMBER = /^[\x21-\x7e]{1,64}$/;
const NUMBER_MESSAGE = 'must be 1-64 printable characters without spaces';

/**
 * One line. Name what is sold with exactly one of appointmentId, serviceId, productId (or
 * Phorest's itemType + itemId); a VOUCHER line sells a new gift voucher and a TIP line is a
 * gratuity for a staff member (both need a price).
 */
export class PurchaseItemDto {
  @ApiPropertyOptional({ enum: ITEM_TYPES, description: 'Implied by the id field given; required with itemId, VOUCHER and TIP' })
  @IsOptional()
  @IsIn(ITEM_TYPES)
  itemType?: ItemType;

  @ApiPropertyOptional({ description: 'Phorest’s generic id, read as the itemType’s id' })
  @IsOptional()
  @IsEntityId()
  itemId?: string;

  @ApiPropertyOptional({ description: 'Paying for this appointment completes it' })
  @IsOptional()
  @IsEntityId()
  appointmentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  serviceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  productId?: string;

  @ApiPropertyOptional({ description: 'Who earns the line (default: the appointment’s stylist, else the purchase’s staffId)' })
  @IsOptional()
  @IsEntityId()
  staffId?: string;

  @ApiPropertyOptional({ example: 1, default: 1, description: 'Units (1 for appointments, vouchers and tips)' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity?: number;

  @ApiPropertyOptional({
    example: 24.5,
    description: 'Unit price, tax-inclusive (default: the appointment’s, service’s or product’s price)',
  })
  @IsOptionalNotNull()
  @IsMoney()
  price?: number;

  @ApiPropertyOptional({ example: 5, description: 'An amount off the line' })
  @IsOptionalNotNull()
  @IsMoney()
  discount?: number;

  @ApiPropertyOptional({ example: 10, description: 'Or a percentage off the line (up to 2 decimals), rounded half-up to the cent' })
  @IsOptionalNotNull()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  discountPercent?: number;

  @ApiPropertyOptional({ description: 'Tax the line at this rate of the branch instead of its default' })
  @IsOptional()
  @IsEntityId()
  taxRateId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ description: 'VOUCHER lines: the new voucher’s serial (generated when absent; 412 when taken)' })
  @IsOptional()
  @Matches(SERIAL, { message: 'must be 1-64 letters, digits, - or _' })
  voucherSerialNumber?: string;

  @ApiPropertyOptional({ description: 'VOUCHER lines: when the new voucher expires' })
  @IsOptional()
  @IsISO8601({ strict: true })
  voucherExpiryDate?: string;
}

export class PurchasePaymentDto {
  @ApiProperty({ enum: PAYMENT_TYPES })
  @IsIn(PAYMENT_TYPES)
  type!: PaymentType;

  @ApiProperty({ example: 50, description: 'Cash: what was handed over (change is given back); other tenders: what was charged' })
  @IsMoney()
  @Min(0.001)
  amount!: number;

  @ApiPropertyOptional({ description: 'VOUCHER tenders: the voucher (or its serialNumber)' })
  @IsOptional()
  @IsEntityId()
  voucherId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SERIAL, { message: 'must be 1-64 letters, digits, - or _' })
  serialNumber?: string;

  @ApiPropertyOptional({ description: 'e.g. the card terminal’s receipt number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reference?: string;
}

export class CreatePurchaseDto {
  @ApiProperty({ example: 'T1-000123', description: 'Unique in the branch: sending the same number again replays the first purchase' })
  @Matches(NUMBER, { message: NUMBER_MESSAGE })
  number!: string;

  @ApiPropertyOptional({ description: 'Default: the client of the first appointment paid for' })
  @IsOptional()
  @IsEntityId()
  clientId?: string;

  @ApiPropertyOptional({ description: 'Who rang it up (earns product lines without their own staffId)' })
  @IsOptional()
  @IsEntityId()
  staffId?: string;

  @ApiPropertyOptional({ description: 'The till; default: the branch’s only open till session' })
  @IsOptional()
  @IsEntityId()
  tillId?: string;

  @ApiProperty({ type: [PurchaseItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemDto)
  items!: PurchaseItemDto[];

  @ApiProperty({ type: [PurchasePaymentDto], description: 'Split tenders allowed; together they must cover the total (400 PAYMENT_SHORT)' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PurchasePaymentDto)
  payments!: PurchasePaymentDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class RefundItemDto {
  @ApiProperty({ example: 4211, description: 'A line of the original purchase' })
  @IsInt()
  @Min(1)
  purchaseItemId!: number;

  @ApiPropertyOptional({ description: 'Units to refund (default: all not yet refunded)' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity?: number;
}

export class RefundPurchaseDto {
  @ApiProperty({ example: 'T1-000124', description: 'The refund’s own number, unique in the branch (a replay returns the first refund)' })
  @Matches(NUMBER, { message: NUMBER_MESSAGE })
  number!: string;

  @ApiPropertyOptional({ type: [RefundItemDto], description: 'Default: every line, as far as not refunded yet' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RefundItemDto)
  items?: RefundItemDto[];

  @ApiProperty({ type: [PurchasePaymentDto], description: 'How the money goes back (positive amounts); together exactly the refund total' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PurchasePaymentDto)
  payments!: PurchasePaymentDto[];

  @ApiPropertyOptional({ default: true, description: 'Put refunded products back in stock' })
  @IsOptionalNotNull()
  @IsBoolean()
  restock?: boolean;

  @ApiPropertyOptional({ description: 'The till the money comes out of' })
  @IsOptional()
  @IsEntityId()
  tillId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class VoidPurchaseDto {
  @ApiPropertyOptional({ description: 'The void’s own number (default VOID-<original number>)' })
  @IsOptional()
  @Matches(NUMBER, { message: NUMBER_MESSAGE })
  number?: string;

  @ApiPropertyOptional({ description: 'The till the money comes out of' })
  @IsOptional()
  @IsEntityId()
  tillId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class PurchaseListQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Local date (branch time zone); with to_date at most 366 days' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' })
  from_date?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be YYYY-MM-DD' })
  to_date?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(NUMBER, { message: NUMBER_MESSAGE })
  number?: string;
}
