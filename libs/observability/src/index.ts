export * from './logger.module';
export * from './pretty-log';
