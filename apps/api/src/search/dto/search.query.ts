import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { InDateRange } from '../../common/date-range';
import { PageLimit } from '../../common/page-limit';
import { SearchMode, SearchSort } from '../search-mode';

/** `a,b` or repeated `?x=a&x=b` → ['a', 'b']. */
const list = () =>
  Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((v) => String(v).split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  );

/** The filters both searches take; each is applied inside the SQL. */
export class SearchFiltersQuery {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page, with the same query and filters' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this video' })
  @IsOptional()
  @IsUUID()
  videoId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only scenes where this person was recognised' })
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiPropertyOptional({ type: [String], description: 'only scenes with every one of these tags (comma-separated or repeated)' })
  @IsOptional()
  @list()
  @ArrayMaxSize(20)
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'only scenes where every one of these objects was detected: COCO class names or everyday words for them, e.g. dog,car (comma-separated or repeated)',
  })
  @IsOptional()
  @list()
  @ArrayMaxSize(20)
  @Length(1, 64, { each: true })
  objects?: string[];

  @ApiPropertyOptional({ type: Boolean, description: 'true: leave out scenes content moderation rated questionable or explicit (scenes not rated stay)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value))
  @IsBoolean({ message: 'safe must be true or false' })
  safe?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'videos created at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @InDateRange()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'videos created at or before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @InDateRange()
  to?: string;

  @ApiPropertyOptional({
    enum: SearchSort,
    enumName: 'SearchSort',
    default: SearchSort.Relevance,
    description: '`date`: newest video first, scenes in play order',
  })
  @IsOptional()
  @IsEnum(SearchSort)
  sort?: SearchSort;
}

export class SearchQuery extends SearchFiltersQuery {
  @ApiPropertyOptional({
    maxLength: 500,
    description: 'websearch syntax: "quoted phrase", OR, -exclusion. May be left out when personId, tags or objects is given.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'q is at most 500 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: SearchMode, enumName: 'SearchMode', isArray: true, description: 'signals to search by (comma-separated); all by default' })
  @IsOptional()
  @list()
  @IsEnum(SearchMode, { each: true })
  modes?: SearchMode[];
}
