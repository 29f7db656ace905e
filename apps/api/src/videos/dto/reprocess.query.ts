import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { JobStage } from '@heimdex/db';

export class ReprocessQuery {
  @ApiPropertyOptional({
    enum: JobStage,
    enumName: 'JobStage',
    description: 'rerun this stage and everything after it; without it, the first failed stage onwards (or everything, for an indexed video)',
  })
  @IsOptional()
  @IsEnum(JobStage)
  from?: JobStage;
}
