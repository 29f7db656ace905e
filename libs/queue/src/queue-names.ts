/**
 * BullMQ queues, one per stage family, each with its own concurrency: speech and vision are
 * CPU-heavy and must not starve the light ffmpeg/database stages of other videos.
 */
export enum QueueName {
  Media = 'media',
  Asr = 'asr',
  Vision = 'vision',
  Maintenance = 'maintenance',
}
