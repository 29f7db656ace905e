import { Injectable } from '@nestjs/common';
import { INTERCEPTORS_METADATA, PATH_METADATA, SSE_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, HttpAdapterHost, MetadataScanner } from '@nestjs/core';
import { AUDIT_INTERCEPTOR, registerAuditRecorder } from './audit.interceptor';
import { HttpAuditRecorder } from './http-audit-recorder';

/**
 * Puts the audit interceptor on every route except Server-Sent Events ones, as a
 * `@UseInterceptors(AUDIT_INTERCEPTOR)` on each handler would. Not APP_INTERCEPTOR: with any
 * global interceptor Nest opens an SSE stream before an async @Sse() handler settles, so a
 * handler that checks ownership first (GET /v1/videos/:id/events) would answer 200 and an error
 * event instead of its 404. SSE routes are reads and are not audited anyway. Runs while
 * providers are built, before `init()` creates the routes from this metadata.
 */
@Injectable()
export class AuditInterceptorBinder {
  constructor(discovery: DiscoveryService, scanner: MetadataScanner, adapterHost: HttpAdapterHost, recorder: HttpAuditRecorder) {
    registerAuditRecorder(adapterHost.httpAdapter.getInstance<object>(), recorder);
    for (const wrapper of discovery.getControllers()) {
      const proto = (wrapper.metatype as { prototype?: Record<string, unknown> } | null)?.prototype;
      if (!proto) continue;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(SSE_METADATA, handler)) continue;
        const existing = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
        if (!existing.includes(AUDIT_INTERCEPTOR)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [AUDIT_INTERCEPTOR, ...existing], handler);
      }
    }
  }
}
