export * from './ffmpeg-binaries';
export * from './media-probe';
export * from './video-rules';
