import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class MergePeopleDto {
  @ApiProperty({ format: 'uuid', description: 'the person merged into this one, then deleted' })
  @IsUUID()
  fromPersonId!: string;
}
