import type { Request } from 'express';

/**
 * The caller's address as Express resolved it under `trust proxy` (TRUST_PROXY): the socket
 * address, or the X-Forwarded-For entry set by the nearest untrusted hop. IPv4-mapped IPv6
 * addresses are shown as plain IPv4.
 */
export function clientIp(req: Request): string | null {
  const ip = req.ip ?? req.socket?.remoteAddress ?? null;
  return ip?.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
