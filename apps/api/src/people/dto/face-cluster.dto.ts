import { ApiProperty } from '@nestjs/swagger';
import { PersonDto } from './person.dto';

export class ClusterFaceDto {
  @ApiProperty({ format: 'uuid' }) faceId!: string;
  @ApiProperty({ format: 'uuid' }) videoId!: string;
  @ApiProperty({ format: 'uuid' }) sceneId!: string;
  @ApiProperty() startS!: number;
  @ApiProperty() endS!: number;
  @ApiProperty({ type: String, nullable: true, description: 'presigned GET of the face crop (WebP)' }) thumbnailUrl!: string | null;
}

export class FaceClusterDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'unnamed face tracks in the cluster (one per person per scene)' }) size!: number;
  @ApiProperty({ description: 'videos they come from' }) videos!: number;
  @ApiProperty() embeddingModel!: string;
  @ApiProperty({ type: ClusterFaceDto, nullable: true, description: 'the face nearest the middle of the cluster' }) representative!: ClusterFaceDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class FaceClusterListDto {
  @ApiProperty({ type: [FaceClusterDto] }) items!: FaceClusterDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class FaceClusterDetailDto extends FaceClusterDto {
  @ApiProperty({ type: [ClusterFaceDto] }) faces!: ClusterFaceDto[];
}

export class ClusterAssignedDto {
  @ApiProperty({ type: PersonDto }) person!: PersonDto;
  @ApiProperty({ description: 'face tracks named after the person' }) named!: number;
  @ApiProperty({ description: 'of which enrolled as the person’s faces (the ones nearest the middle)' }) enrolled!: number;
}
