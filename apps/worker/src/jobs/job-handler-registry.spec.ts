import { JobName } from '@heimdex/queue';
import type { JobHandler } from './job-handler';
import { JobHandlerRegistry } from './job-handler-registry';

const handler = (jobName: JobName): JobHandler => ({ jobName, handle: async () => undefined });

describe('JobHandlerRegistry', () => {
  it('refuses to start when a job name has no handler', () => {
    expect(() => new JobHandlerRegistry([handler(JobName.UploadValidate)])).toThrow(/no handler for job\(s\) audio_extract, .*video_purge/);
  });

  it('refuses two handlers for one job', () => {
    expect(() => new JobHandlerRegistry([handler(JobName.UploadValidate), handler(JobName.UploadValidate), handler(JobName.VideoPurge)])).toThrow(
      /two handlers for job upload_validate/,
    );
  });

  it('accepts one handler per job name', () => {
    expect(() => new JobHandlerRegistry(Object.values(JobName).map(handler))).not.toThrow();
  });
});
