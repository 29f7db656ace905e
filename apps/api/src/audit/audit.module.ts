import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuditBatchWriter } from './audit-batch-writer';
import { AuditController } from './audit.controller';
import { AuditInterceptorBinder } from './audit-interceptor.binder';
import { AuditRepository } from './audit.repository';
import { AuditRouteRegistry } from './audit-route-registry';
import { AuditService } from './audit.service';
import { HttpAuditRecorder } from './http-audit-recorder';

/**
 * The audit trail on the HTTP side: one event per state-changing request and per admin read
 * (interceptor for success, bound to every non-SSE route; exception filter for failures), and the admin reads of the trail.
 * Sealing, verification and retention live in @heimdex/audit, shared with the worker. Global:
 * the exception filter, the rate limits and the webhooks write through its recorder.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AuditController],
  providers: [AuditRouteRegistry, AuditBatchWriter, HttpAuditRecorder, AuditRepository, AuditService, AuditInterceptorBinder],
  exports: [HttpAuditRecorder],
})
export class AuditModule {}
