import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsString, Matches, MaxLength } from 'class-validator';
import { QueueName } from '@heimdex/queue';

export class QueueNameParams {
  @ApiProperty({ enum: QueueName, enumName: 'QueueName' })
  @IsEnum(QueueName, { message: `name must be one of: ${Object.values(QueueName).join(', ')}` })
  name!: QueueName;
}

export class JobIdParams {
  @ApiProperty({ example: 'upload_validate.0b6f...e1.1' })
  @IsString()
  @MaxLength(300)
  @Matches(/^[\w.:-]+$/, { message: 'id must be a BullMQ job id' })
  id!: string;
}
