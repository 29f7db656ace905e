import { JobName, jobIdFor, parseStageJobId } from './job-names';

describe('stage job ids', () => {
  const videoId = '0b6f3c1e-8a2d-4f7e-9c1b-2d3e4f5a6b7c';

  it('parseStageJobId takes apart what jobIdFor made for a stage', () => {
    expect(parseStageJobId(jobIdFor(JobName.SceneDetect, { videoId, run: 12 }))).toEqual({ name: JobName.SceneDetect, videoId, run: 12 });
  });

  it('is null for maintenance jobs and ids of another shape', () => {
    expect(parseStageJobId(jobIdFor(JobName.FacesCluster, { userId: videoId, videoId, run: 1 }))).toBeNull();
    expect(parseStageJobId(`upload_validate.nope.1`)).toBeNull();
    expect(parseStageJobId(`not_a_stage.${videoId}.1`)).toBeNull();
    expect(parseStageJobId(`scene_detect.${videoId}.x`)).toBeNull();
  });
});
