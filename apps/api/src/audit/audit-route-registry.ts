import { HttpStatus, Injectable, OnModuleInit, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../auth/auth-user';
import { ROLES } from '../auth/auth.decorators';
import { AUDIT_OPTIONS, AuditOptions } from './audit.decorators';

/** How one route is audited, resolved once at start from its decorators. */
export interface AuditSpec {
  action: string;
  resourceType: string | null;
  idParam: string;
  /** GETs are recorded too (admin reads). */
  reads: boolean;
  omitBody: boolean;
  anonymousActor: 'system' | null;
  /** The status Nest sends on success (HttpCode, else 201 for POST, else 200). */
  successStatus: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route's audit spec, keyed by method and route template. The interceptor (success) and
 * the exception filter (every failure, including guards' 401/403, which run before interceptors)
 * both look requests up here through Express's matched route, so a request gets the same action
 * whichever of them records it. Only the public API (/v1) is audited.
 */
@Injectable()
export class AuditRouteRegistry implements OnModuleInit {
  private readonly byRoute = new Map<string, AuditSpec | null>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || !wrapper.instance) continue;
      const proto = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      const controllerPaths = asArray(Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined);
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as (...args: unknown[]) => unknown;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (methodPaths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const cp of controllerPaths) {
          for (const mp of asArray(methodPaths)) {
            const path = joinPath(cp, mp);
            this.byRoute.set(`${method} ${path}`, path.startsWith('/v1/') ? this.specFor(controller, handler, name, cp, method) : null);
          }
        }
      }
    }
  }

  /** The spec of the route a request matched, or null when the request is not audited. */
  forRequest(req: Request): AuditSpec | null {
    const template = (req.route as { path?: unknown } | undefined)?.path;
    const spec = typeof template === 'string' ? (this.byRoute.get(`${req.method} ${template}`) ?? this.byRoute.get(`ALL ${template}`)) : undefined;
    // No matched route: an unknown path, or a body the parser refused before routing.
    const resolved = spec === undefined ? unmatched(req) : spec;
    if (!resolved) return null;
    return READ_METHODS.has(req.method) && !resolved.reads ? null : resolved;
  }

  private specFor(controller: object, handler: object, name: string, controllerPath: string, method: string): AuditSpec | null {
    const options: AuditOptions = {
      ...(Reflect.getMetadata(AUDIT_OPTIONS, controller) as AuditOptions | undefined),
      ...(Reflect.getMetadata(AUDIT_OPTIONS, handler) as AuditOptions | undefined),
    };
    if (options.skip) return null;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [handler as () => void, controller as () => void]) ?? [];
    const resourceType = options.resourceType ?? controllerPath.split('/').filter(Boolean).pop() ?? null;
    const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
    return {
      action: options.action ?? `${resourceType ?? 'api'}.${name}`,
      resourceType,
      idParam: options.idParam ?? 'id',
      reads: options.reads ?? roles.includes('admin'),
      omitBody: options.omitBody ?? false,
      anonymousActor: options.anonymousActor ?? null,
      successStatus: httpCode ?? (method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK),
    };
  }
}

function unmatched(req: Request): AuditSpec | null {
  const path = req.path ?? '';
  if (!path.startsWith('/v1/')) return null;
  return {
    action: 'api.unrouted',
    resourceType: path.split('/')[2] || null,
    idParam: 'id',
    reads: path.startsWith('/v1/admin/'),
    omitBody: true,
    anonymousActor: null,
    successStatus: HttpStatus.OK,
  };
}

function asArray(v: string | string[] | undefined): string[] {
  return v === undefined ? [''] : Array.isArray(v) ? v : [v];
}

/** Nest's own joining: one leading slash, no trailing slash, segments as written. */
function joinPath(controllerPath: string, methodPath: string): string {
  const parts = [controllerPath, methodPath].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `/${parts.join('/')}`;
}
