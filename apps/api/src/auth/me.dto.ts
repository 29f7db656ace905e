import { ApiProperty } from '@nestjs/swagger';
import { UserTier } from '@heimdex/db';

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty({ enum: ['admin', 'user'] }) role!: 'admin' | 'user';
  @ApiProperty({ enum: UserTier, enumName: 'UserTier' }) tier!: UserTier;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty() onboardingCompleted!: boolean;
}
