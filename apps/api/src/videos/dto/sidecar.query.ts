import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class SidecarQuery {
  @ApiPropertyOptional({ enum: ['json', 'vtt', 'srt'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'vtt', 'srt'])
  format?: 'json' | 'vtt' | 'srt';
}
