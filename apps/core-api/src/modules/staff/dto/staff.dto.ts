import { IsOptionalNotNull } from '../../../shared/http/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{22}$/;

export class StaffServiceDto {
  @ApiProperty({ example: 'Xk2PqN0aRm5tVb8wYc1dEf', description: 'A service this staff member may do' })
  @Matches(ID, { message: 'must be a service id' })
  serviceId!: string;

  @ApiPropertyOptional({ example: 65, description: 'Their own price for it (branch currency); the service price when absent' })
  @IsOptionalNotNull()
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1_000_000)
  price?: number;

  @ApiPropertyOptional({ example: 60, description: 'Their own duration in minutes; the service duration when absent' })
  @IsOptionalNotNull()
  @IsInt()
  @Min(5)
  @Max(720)
  duration?: number;
}

class StaffFields {
  @ApiPropertyOptional({ example: 'Byrne' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @ApiPropertyOptional({ example: 'aoife@foundation-hair.example' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '087 123 4567', description: 'Stored in E.164; local forms use the branch country' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  mobile?: string;

  @ApiPropertyOptional({ enum: ['MALE', 'FEMALE', 'OTHER'] })
  @IsOptional()
  @IsIn(['MALE', 'FEMALE', 'OTHER'])
  gender?: 'MALE' | 'FEMALE' | 'OTHER';

  @ApiPropertyOptional({ example: 'Hk2PqN0aRm5tVb8wYc1dEf' })
  @IsOptional()
  @Matches(ID, { message: 'must be a staff category id' })
  staffCategoryId?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  selfEmployed?: boolean;

  @ApiPropertyOptional({ description: 'Not offered on the online booking pages' })
  @IsOptionalNotNull()
  @IsBoolean()
  hideFromOnlineBookings?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  hideFromAppointmentScreen?: boolean;

  @ApiPropertyOptional({ example: 'Colour specialist with ten years at the chair.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  onlineProfile?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ type: [StaffServiceDto], description: 'The services they may do; replaces the whole list when sent' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => StaffServiceDto)
  services?: StaffServiceDto[];
}

export class CreateStaffDto extends StaffFields {
  @ApiProperty({ example: 'Aoife' })
  @IsString()
  @Length(1, 100)
  firstName!: string;
}

export class UpdateStaffDto extends StaffFields {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiPropertyOptional({ example: 'Aoife' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  archived?: boolean;
}
