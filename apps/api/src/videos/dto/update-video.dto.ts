import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';

/** Optional, but not nullable: null is a wrong type (400), not a missing field. */
const unlessAbsent = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

export class UpdateVideoDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'An empty string clears it.' })
  @unlessAbsent()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'An empty string clears it.' })
  @unlessAbsent()
  @IsString()
  @MaxLength(5000)
  description?: string;
}
