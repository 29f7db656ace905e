import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at start and on each tick, but never two passes at once, and stop waits for the one under way', async () => {
    let started = 0;
    let finish: () => void = () => undefined;
    const pass = new PeriodicPass(
      () => {
        started += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      () => undefined,
    );
    pass.start(1000);
    expect(started).toBe(1);
    jest.advanceTimersByTime(3000);
    expect(started).toBe(1);
    finish();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(1000);
    expect(started).toBe(2);
    let stopped = false;
    const stopping = pass.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    jest.advanceTimersByTime(5000);
    expect(started).toBe(2);
  });

  it('hands a failed pass to onError and keeps ticking; 0 runs only at start', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const pass = new PeriodicPass(
      () => {
        runs += 1;
        return Promise.reject(new Error('db down'));
      },
      (err) => errors.push(err),
    );
    pass.start(0);
    await pass.stop();
    jest.advanceTimersByTime(10_000);
    expect(runs).toBe(1);
    expect(String(errors[0])).toContain('db down');
  });
});
