// Shared with the bench and eval scripts, which must not compile test/: the code lives in scripts/lib.
export * from '../../scripts/lib/videos-client';
