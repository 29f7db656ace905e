export * from './pglite-server';
export * from './redis-check';
