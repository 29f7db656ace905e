import { ApiProperty } from '@nestjs/swagger';

export class BoxDto {
  @ApiProperty() x!: number;
  @ApiProperty() y!: number;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
}

export class EnrolmentModelDto {
  @ApiProperty({
    example: 'face-api-ssd-resnet128@1.7.15+level1',
    description: 'the face model the embeddings come from; faces of one model are only compared with faces of the same model',
  })
  embeddingModel!: string;
  @ApiProperty({ description: 'enrolled faces with an embedding from this model' }) faces!: number;
  @ApiProperty({ description: 'of which the photo is kept (re-embedded automatically when the face model changes)' }) keptPhotos!: number;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'enrolled faces (photos, and faces named through a cluster)' }) enrolledFaces!: number;
  @ApiProperty({ type: [EnrolmentModelDto], description: 'enrolments per face model' }) models!: EnrolmentModelDto[];
  @ApiProperty({ description: 'scenes this person was found in' }) scenes!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class PersonListDto {
  @ApiProperty({ type: [PersonDto] }) items!: PersonDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class EnrolledFaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() embeddingModel!: string;
  @ApiProperty({ type: BoxDto, nullable: true, description: 'where the face is in the (upright) photo' }) box!: BoxDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'detector confidence 0..1' }) score!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'presigned GET of the kept photo; null when it was not kept' }) photoUrl!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class AppearanceDto {
  @ApiProperty({ format: 'uuid' }) videoId!: string;
  @ApiProperty({ format: 'uuid' }) sceneId!: string;
  @ApiProperty() startS!: number;
  @ApiProperty() endS!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'cosine similarity of the face to the nearest enrolled face' }) confidence!: number | null;
}
