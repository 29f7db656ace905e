import type { AppConfig } from '@heimdex/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { consoleCsp } from './console-csp';

/** Paths the console never answers: the API, its docs, probes, metrics and embedded storage. */
const SERVER_PATHS = /^\/(v1|docs|docs-json|docs-yaml|health|metrics|storage)(\/|$)/;

export function consoleDist(config: AppConfig): string {
  return join(config.rootDir, 'apps', 'web', 'dist');
}

/**
 * Serves the built web console (apps/web/dist) at `/`: hashed assets cached for good, the page
 * itself never, every console response with a strict CSP, and client routes (/search, /people...)
 * answered with index.html. Without a build, `/` says how to make one.
 */
export function serveConsole(app: NestExpressApplication, config: AppConfig): void {
  const dist = consoleDist(config);
  const csp = consoleCsp(config);
  const headers = (res: Response) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  app.useStaticAssets(dist, {
    index: false,
    setHeaders: (res, path) => {
      headers(res as Response);
      res.setHeader('Cache-Control', path.includes(`${join(dist, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || /\.\w+$/.test(req.path)) return next();
    headers(res);
    res.setHeader('Cache-Control', 'no-cache');
    const index = join(dist, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web console is not built: `npm start` builds it (or run `npm run build:web`). The API is under /v1, its docs at /docs.');
      return;
    }
    res.sendFile(index);
  });
}
