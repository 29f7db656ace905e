import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class AssignClusterDto {
  @ApiProperty({ format: 'uuid', description: 'the person these faces are' })
  @IsUUID()
  personId!: string;
}
