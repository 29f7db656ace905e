/**
 * A small pino line formatter for terminals (`npm start` on a TTY): time, level, app, context
 * and message on one line, errors with their stack. Not a JSON line: returned unchanged.
 * Nest's start-up inventory (every module and route, ~100 lines) is dropped below debug.
 */
interface PinoLine {
  level?: number;
  time?: number;
  app?: string;
  context?: string;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { message?: string; stack?: string };
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[90m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
const START_UP_INVENTORY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

export function formatLogLine(line: string, opts: { color: boolean; debug: boolean }): string | null {
  if (!line.startsWith('{')) return line;
  let entry: PinoLine;
  try {
    entry = JSON.parse(line) as PinoLine;
  } catch {
    return line;
  }
  const level = entry.level ?? 30;
  if (!opts.debug && level <= 30 && entry.context && START_UP_INVENTORY.has(entry.context)) return null;
  const [name, color] = LEVELS[level] ?? ['?    ', ''];
  const paint = (c: string, s: string) => (opts.color ? `${c}${s}\x1b[0m` : s);
  const time = new Date(entry.time ?? Date.now()).toTimeString().slice(0, 8);
  const http = entry.req?.method ? ` ${entry.req.method} ${entry.req.url} ${entry.res?.statusCode ?? ''} ${entry.responseTime ?? ''}ms` : '';
  const context = entry.context ? paint('\x1b[36m', `[${entry.context}] `) : '';
  const err = entry.err?.stack ? `\n${entry.err.stack}` : entry.err?.message ? ` (${entry.err.message})` : '';
  return `${paint('\x1b[90m', time)} ${paint(color, name)} ${(entry.app ?? '').padEnd(6)} ${context}${entry.msg ?? ''}${http}${err}`;
}
