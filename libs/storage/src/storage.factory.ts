import { LocalDiskStorage } from './local-disk.storage';
import type { ObjectStorage } from './object-storage';
import { S3Storage } from './s3.storage';

/** Same shape as `AppConfig['storage']`, restated so this library does not depend on @heimdex/config. */
export type StorageConfig =
  | { driver: 'local'; bucket: string; root: string; signingKey: string }
  | { driver: 's3'; bucket: string; region: string; endpoint: string; publicEndpoint: string; accessKey: string; secretKey: string };

/**
 * Builds the configured driver. `publicUrl` is the API's base URL as clients see it: the local
 * driver's presigned URLs point at its `/storage` routes; the S3 driver ignores it.
 */
export function createObjectStorage(cfg: StorageConfig, publicUrl: string): ObjectStorage {
  switch (cfg.driver) {
    case 'local':
      return new LocalDiskStorage({ root: cfg.root, bucket: cfg.bucket, signingKey: cfg.signingKey, publicUrl });
    case 's3':
      return new S3Storage({
        endpoint: cfg.endpoint,
        publicEndpoint: cfg.publicEndpoint,
        accessKey: cfg.accessKey,
        secretKey: cfg.secretKey,
        bucket: cfg.bucket,
        region: cfg.region,
      });
  }
}
