import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class EnrolQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'keep the photo (upright, metadata stripped) under your storage prefix, so a future face model can re-embed it; by default only the embedding is kept',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  keepPhoto?: 'true' | 'false';
}
