import type { AppConfig } from '@heimdex/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Server } from 'node:http';

/** Node's own limits on receiving a request: headers, and the whole request. */
export function applyServerTimeouts(server: Server, http: AppConfig['http']): void {
  server.headersTimeout = http.headersTimeoutMs;
  server.requestTimeout = http.requestTimeoutMs;
  // Node enforces both only when it sweeps its connections (every 30 s by default); it reads the
  // interval when the server starts listening, so setting it here (before listen) takes effect.
  // (@types/node declares it only as a createServer option.)
  Object.assign(server, { connectionsCheckingInterval: Math.min(5000, Math.max(250, Math.floor(http.headersTimeoutMs / 4))) });
}

/**
 * Cuts off a request whose body arrives slower than `bodyMinBytesPerS` over a window (a client
 * trickling bytes holds a socket, a temp file and an upload slot). Measured on the socket's byte
 * count, so the body is not read here and whoever consumes it still gets every byte.
 */
export function slowBodyGuard(http: AppConfig['http'], onCutOff: (req: Request) => void): RequestHandler {
  const windowMs = http.bodyRateWindowS * 1000;
  const minPerWindow = http.bodyMinBytesPerS * http.bodyRateWindowS;
  return (req: Request, res: Response, next: NextFunction) => {
    if (minPerWindow <= 0 || !hasBody(req)) return next();
    const socket = req.socket;
    let seen = socket.bytesRead;
    const timer = setInterval(() => {
      if (req.complete || socket.destroyed) return stop();
      const read = socket.bytesRead - seen;
      seen = socket.bytesRead;
      if (read >= minPerWindow) return;
      stop();
      onCutOff(req);
      socket.destroy();
    }, windowMs);
    timer.unref();
    const stop = () => clearInterval(timer);
    req.once('end', stop);
    res.once('close', stop);
    next();
  };
}

function hasBody(req: Request): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}
