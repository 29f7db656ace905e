import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { ContentRating, VideoState } from '@heimdex/db';
import { PageLimit } from '../../common/page-limit';

export class ListVideosQuery {
  @ApiPropertyOptional({ enum: VideoState, enumName: 'VideoState' })
  @IsOptional()
  @IsEnum(VideoState)
  state?: VideoState;

  @ApiPropertyOptional({ enum: ContentRating, enumName: 'ContentRating', description: 'only videos content moderation rated so' })
  @IsOptional()
  @IsEnum(ContentRating)
  contentRating?: ContentRating;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
