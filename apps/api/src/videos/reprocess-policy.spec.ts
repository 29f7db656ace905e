import { VideoState } from '@heimdex/db';
import { lastProgressAt, whyNotReprocessable } from './reprocess-policy';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const stage = (updated: number, started: number | null = null, finished: number | null = null) => ({
  updatedAt: t(updated),
  startedAt: started === null ? null : t(started),
  finishedAt: finished === null ? null : t(finished),
});

describe('reprocess policy', () => {
  it('the last progress is the latest change of the video or any stage', () => {
    expect(lastProgressAt({ updatedAt: t(5) }, [stage(1, 2, 3), stage(4, 9)])).toEqual(t(9));
    expect(lastProgressAt({ updatedAt: t(12) }, [])).toEqual(t(12));
  });

  it('indexed and failed videos always; uploading and deleted ones never', () => {
    expect(whyNotReprocessable({ state: VideoState.Indexed, updatedAt: t(0) }, [], 60, t(1))).toBeNull();
    expect(whyNotReprocessable({ state: VideoState.Failed, updatedAt: t(0) }, [], 60, t(1))).toBeNull();
    expect(whyNotReprocessable({ state: VideoState.Uploading, updatedAt: t(0) }, [], 60, t(600))).toMatch(/uploading/);
    expect(whyNotReprocessable({ state: VideoState.Deleted, updatedAt: t(0) }, [], 60, t(600))).toMatch(/deleted/);
  });

  it('a processing video only once nothing changed for the stall time', () => {
    const video = { state: VideoState.Processing, updatedAt: t(0) };
    const jobs = [stage(10, 10, 20)];
    expect(whyNotReprocessable(video, jobs, 60, t(79))).toMatch(/last changed 59 s ago.*60 s \(PIPELINE_STALL_S\)/);
    expect(whyNotReprocessable(video, jobs, 60, t(80))).toBeNull();
  });
});
