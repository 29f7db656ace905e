import { ApiProperty } from '@nestjs/swagger';
import { ActorRole, AuditOutcome } from '@heimdex/db';

export class AuditEventDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ enum: ActorRole, enumName: 'ActorRole' }) actorRole!: ActorRole;
  @ApiProperty({ example: 'videos.update' }) action!: string;
  @ApiProperty({ type: String, nullable: true, example: 'videos' }) resourceType!: string | null;
  @ApiProperty({ type: String, nullable: true }) resourceId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ enum: AuditOutcome, enumName: 'AuditOutcome' }) outcome!: AuditOutcome;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'redacted: no tokens, secrets, signatures or presigned URLs' })
  details!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'position in the hash chain; null until sealed (within about a second)' })
  chainSeq!: string | null;
  @ApiProperty({ type: String, nullable: true }) prevHash!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 over the canonical serialisation, prevHash included' }) hash!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class UnprovenCheckpointDto {
  @ApiProperty({ example: '3' }) id!: string;
  @ApiProperty({ example: '25000', description: 'the last chain position it claims to have archived' }) throughSeq!: string;
  @ApiProperty({ example: 'audit/archive/000000000000001-000000000025000.ndjson' }) archiveKey!: string;
}

export class AuditVerifyDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'events recomputed and found consistent' }) checked!: number;
  @ApiProperty({ required: false, description: 'the first event that does not fit the chain' }) firstBadId?: string;
  @ApiProperty({ required: false }) reason?: string;
  @ApiProperty({ description: 'chain position verification started after: the newest proven retention checkpoint, 0 from the beginning' }) fromSeq!: string;
  @ApiProperty({
    type: UnprovenCheckpointDto,
    required: false,
    description:
      'a retention checkpoint that could not be proven (not signed with AUDIT_CHECKPOINT_KEY, not continuing the chain, or its archive missing or altered); ok is then false',
  })
  unprovenCheckpoint?: UnprovenCheckpointDto;
  @ApiProperty({ description: 'events not chained yet' }) unsealed!: number;
}
