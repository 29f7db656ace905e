import { Global, Module } from '@nestjs/common';
import { AuditRetention } from './audit-retention';
import { AuditSealer } from './audit-sealer';
import { AuditVerifier } from './audit-verifier';

/** The audit chain for both apps: sealing (single-flight across processes), verification, retention. */
@Global()
@Module({
  providers: [AuditSealer, AuditVerifier, AuditRetention],
  exports: [AuditSealer, AuditVerifier, AuditRetention],
})
export class AuditTrailModule {}
