import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SearchMode } from '../search-mode';

export class SearchScoresDto {
  @ApiPropertyOptional({ description: 'full-text rank of the transcript (ts_rank), or word similarity for a near spelling' }) transcript?: number;
  @ApiPropertyOptional({ description: 'full-text rank of the on-screen text' }) ocr?: number;
  @ApiPropertyOptional({ description: 'cosine similarity of the query (CLIP text) or picture (CLIP image) to the scene picture' }) visual?: number;
  @ApiPropertyOptional({ description: "the recognised person's face confidence" }) person?: number;
  @ApiPropertyOptional({ description: 'full-text rank of the tags, or the filtered tags’ score' }) tag?: number;
  @ApiPropertyOptional({ description: 'best detector confidence of an object the query names (or of the filtered objects)' }) object?: number;
  @ApiPropertyOptional({ description: 'cosine similarity of the query to the scene text (transcript + on-screen text) embedding' }) text?: number;
  @ApiPropertyOptional({ description: "full-text rank of the video's title and description" }) title?: number;
}

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' }) videoId!: string;
  @ApiProperty({ format: 'uuid' }) sceneId!: string;
  @ApiProperty() startS!: number;
  @ApiProperty() endS!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'when the query is said: the first matching transcript word of the query-long stretch where most query words occur',
  })
  matchStartS!: number | null;
  @ApiProperty({ description: 'fused score (Reciprocal Rank Fusion over the signals); higher is better' }) score!: number;
  @ApiProperty({ type: SearchScoresDto }) scores!: SearchScoresDto;
  @ApiProperty({ enum: SearchMode, enumName: 'SearchMode', isArray: true, description: 'the signals that found this scene' }) matchedBy!: SearchMode[];
  @ApiProperty({ type: String, nullable: true, description: 'HTML-escaped text with <mark> around matched words (or the start of the scene text)' })
  highlight!: string | null;
  @ApiProperty({ type: String, nullable: true }) thumbnailUrl!: string | null;
}

export class UnavailableSignalDto {
  @ApiProperty({ enum: ['text', 'visual'] }) signal!: 'text' | 'visual';
  @ApiProperty() reason!: string;
}

export class SearchResultDto {
  @ApiProperty({ type: [SearchHitDto] }) items!: SearchHitDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: [UnavailableSignalDto], description: 'semantic signals this search could not use, and why (no model installed)' })
  unavailable!: UnavailableSignalDto[];
}
