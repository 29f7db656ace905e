import { formatLogLine } from './pretty-log';

describe('formatLogLine', () => {
  const opts = { color: false, debug: false };
  const time = new Date(2026, 0, 2, 13, 4, 5).getTime();

  it('turns a pino line into time, level, app, context and message', () => {
    const line = JSON.stringify({ level: 40, time, app: 'worker', context: 'StageRunner', msg: 'scene_detect failed for video v1' });
    expect(formatLogLine(line, opts)).toBe('13:04:05 WARN  worker [StageRunner] scene_detect failed for video v1');
  });

  it('shows a request as method, path, status and time, and an error with its stack', () => {
    const http = JSON.stringify({
      level: 30,
      time,
      app: 'api',
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/videos' },
      res: { statusCode: 200 },
      responseTime: 12,
    });
    expect(formatLogLine(http, opts)).toBe('13:04:05 INFO  api    request completed GET /v1/videos 200 12ms');
    const err = JSON.stringify({ level: 50, time, app: 'api', msg: 'boom', err: { message: 'x', stack: 'Error: x\n    at f' } });
    expect(formatLogLine(err, opts)).toBe('13:04:05 ERROR api    boom\nError: x\n    at f');
  });

  it("drops Nest's start-up inventory unless debugging, and passes other text through", () => {
    const route = JSON.stringify({ level: 30, time, app: 'api', context: 'RouterExplorer', msg: 'Mapped {/v1/videos, GET} route' });
    expect(formatLogLine(route, opts)).toBeNull();
    expect(formatLogLine(route, { ...opts, debug: true })).toContain('[RouterExplorer] Mapped');
    expect(formatLogLine('plain text', opts)).toBe('plain text');
    expect(formatLogLine('{not json', opts)).toBe('{not json');
  });
});
