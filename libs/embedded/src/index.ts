export * from './pglite-server';
export * from './redis-check';
export * from './process-supervisor';
