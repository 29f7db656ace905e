export * from './audio-extract';
export * from './decode-passes';
export * from './ffmpeg-binaries';
export * from './media-probe';
export * from './scene-pass';
export * from './scene-plan';
export * from './video-rules';
export * from './subtitle-extract';
