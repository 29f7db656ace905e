export * from './face-clusterer';
export * from './face-index.repository';
export * from './face-matcher';
export * from './face-model-id';
export * from './face-tracker';
export * from './faces.module';
export * from './incremental-dbscan';
export * from './rematch-requests';
