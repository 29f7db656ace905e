import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALLOWED_CONTENT_TYPES, PLAIN_FILENAME } from '../upload-policy';

export class CreateVideoDto {
  @ApiProperty({ example: 'holiday.mp4', maxLength: 255, description: 'A plain file name, shown to the user; never used as a storage path.' })
  @IsString()
  @Matches(PLAIN_FILENAME, { message: 'filename must be a plain file name (no folders, path separators or control characters)' })
  filename!: string;

  @ApiProperty({ enum: ALLOWED_CONTENT_TYPES, example: 'video/mp4' })
  @IsIn(ALLOWED_CONTENT_TYPES, { message: `contentType must be one of: ${ALLOWED_CONTENT_TYPES.join(', ')}` })
  contentType!: string;

  @ApiProperty({ example: 10485760, minimum: 1, description: 'Exact size in bytes of the file the client will PUT.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes!: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;
}
