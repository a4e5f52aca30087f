import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../../shared/http/paging';
import { IsEntityId, NotBlank } from '../../catalogue/shared/catalogue.dto';

export const OPERATION_TYPES = ['ADD', 'DEDUCT'] as const;

/** Phorest's body: every field required. */
export class LoyaltyPointsDto {
  @ApiProperty()
  @IsEntityId()
  clientId!: string;

  @ApiProperty({ description: 'Where it happened' })
  @IsEntityId()
  branchId!: string;

  @ApiProperty({ example: 'Birthday bonus' })
  @IsString()
  @Length(1, 500)
  @NotBlank()
  description!: string;

  @ApiProperty({ example: 10, description: 'Points to add or deduct (a positive whole number)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  pointsChange!: number;

  @ApiProperty({ enum: OPERATION_TYPES })
  @IsIn(OPERATION_TYPES)
  operationType!: (typeof OPERATION_TYPES)[number];
}

export class LoyaltyLedgerQuery extends PageQuery {
  @ApiProperty()
  @IsEntityId()
  clientId!: string;
}
