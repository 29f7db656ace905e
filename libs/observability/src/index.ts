export * from './logger.module';
export * from './user-facing-reason';
export * from './pretty-log';
