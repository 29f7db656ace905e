import { Global, Module } from '@nestjs/common';
import { AuditCheckpoints } from './audit-checkpoints';
import { AuditRetention } from './audit-retention';
import { AuditSealer } from './audit-sealer';
import { AuditVerifier } from './audit-verifier';

/** The audit chain for both apps: sealing (single-flight across processes), verification, retention. */
@Global()
@Module({
  providers: [AuditSealer, AuditVerifier, AuditRetention, AuditCheckpoints],
  exports: [AuditSealer, AuditVerifier, AuditRetention, AuditCheckpoints],
})
export class AuditTrailModule {}
