export * from './sidecar.types';
export * from './sidecar-input.types';
export * from './build-sidecar';
export * from './sidecar-schema';
export * from './subtitle-cues';
export * from './subtitles';
