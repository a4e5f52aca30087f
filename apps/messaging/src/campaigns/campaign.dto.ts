import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { SEGMENT_TYPES } from './segments';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class SegmentDto {
  @ApiProperty({ enum: SEGMENT_TYPES, example: 'NOT_SEEN_FOR_WEEKS' })
  @IsIn(SEGMENT_TYPES)
  type!: (typeof SEGMENT_TYPES)[number];

  @ApiPropertyOptional({ description: 'NOT_SEEN_FOR_WEEKS: weeks since the last visit', example: 8 })
  @ValidateIf((o: SegmentDto) => o.type === 'NOT_SEEN_FOR_WEEKS')
  @IsInt()
  @Min(1)
  @Max(520)
  weeks?: number;

  @ApiPropertyOptional({ description: 'STAFF: clients who prefer or have seen this staff member' })
  @ValidateIf((o: SegmentDto) => o.type === 'STAFF')
  @Matches(ID)
  staffId?: string;

  @ApiPropertyOptional({ description: 'CLIENT_CATEGORY: members of this client category' })
  @ValidateIf((o: SegmentDto) => o.type === 'CLIENT_CATEGORY')
  @Matches(ID)
  categoryId?: string;

  @ApiPropertyOptional({ description: "BIRTHDAY_MONTH: 1-12 (default: this month in the branch's zone)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number;
}

export class AudienceQueryDto {
  @ApiProperty({ description: 'The branch whose name, zone and quiet hours the campaign uses' })
  @Matches(ID)
  branchId!: string;

  @ApiProperty({ enum: ['SMS', 'EMAIL'] })
  @IsIn(['SMS', 'EMAIL'])
  channel!: 'SMS' | 'EMAIL';

  @ApiProperty({ type: SegmentDto })
  @ValidateNested()
  @Type(() => SegmentDto)
  segment!: SegmentDto;
}

export class CampaignPreviewDto extends AudienceQueryDto {
  @ApiPropertyOptional({ description: 'Message text to preview (placeholders: firstName, lastName, salonName, branchName, bookingLink)' })
  @IsOptional()
  @IsString()
  @MaxLength(1600)
  body?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;
}

export class CreateCampaignDto extends AudienceQueryDto {
  @ApiProperty({ example: 'We miss you' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Hi {{firstName}}, it has been a while! Book at {{bookingLink}}' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1600)
  body!: string;

  @ApiPropertyOptional({ description: 'Email subject (EMAIL campaigns)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  subject?: string;
}

export class SendCampaignDto {
  @ApiPropertyOptional({ description: 'When to send (ISO instant); omitted means now' })
  @IsOptional()
  @IsDateString({ strict: true })
  scheduledAt?: string;
}
