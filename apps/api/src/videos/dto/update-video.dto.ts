import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class UpdateVideoDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'An empty string clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'An empty string clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
}
