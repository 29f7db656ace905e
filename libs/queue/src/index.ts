export * from './job-names';
export * from './outbox';
export * from './outbox-dispatcher';
export * from './pipeline';
export * from './queue-registry';
export * from './queue.module';
export * from './queue-names';
export * from './queue-store-timeout';
