import { JobStage, JobState, PipelineJob, Video, VideoState } from '@heimdex/db';
import { toVideoDto } from './video-view';

describe('toVideoDto', () => {
  it('shows stage notes and errors without server paths', () => {
    const video = Object.assign(new Video(), { id: 'v', state: VideoState.Indexed, error: null, createdAt: new Date(), updatedAt: new Date() });
    const job = Object.assign(new PipelineJob(), {
      stage: JobStage.VisionAffectTags,
      state: JobState.Completed,
      attempts: 1,
      note: '0 scene(s) tagged; signals: no CLIP (no clip model in /srv/heimdex/.data/models (npm run models -- pull))',
      error: null,
    });
    const [stage] = toVideoDto(video, [job]).stages;
    expect(stage.note).toBe('0 scene(s) tagged; signals: no CLIP (no clip model in <server path> (npm run models -- pull))');
  });
});
