import { JobStage, JobState } from '@heimdex/db';
import { PIPELINE } from '@heimdex/queue';
import { stagesToRerun } from './stages-to-rerun';

const rows = (states: Partial<Record<JobStage, JobState>>) => PIPELINE.map((stage) => ({ stage, state: states[stage] ?? JobState.Completed }));

describe('stagesToRerun', () => {
  it('an indexed video reruns everything', () => {
    expect(stagesToRerun(rows({}))).toEqual(PIPELINE);
  });

  it('a failed video reruns the failed stage, the cancelled ones and what follows them, nothing else', () => {
    const rerun = stagesToRerun(
      rows({
        [JobStage.AsrFast]: JobState.Failed,
        [JobStage.AlignMerge]: JobState.Cancelled,
        [JobStage.EmbedText]: JobState.Cancelled,
        [JobStage.LanguageDetect]: JobState.Cancelled,
        [JobStage.SidecarBuild]: JobState.Cancelled,
        [JobStage.Commit]: JobState.Cancelled,
      }),
    );
    expect(rerun).toEqual([JobStage.AsrFast, JobStage.AlignMerge, JobStage.EmbedText, JobStage.LanguageDetect, JobStage.SidecarBuild, JobStage.Commit]);
  });

  it('?from= reruns that stage and its descendants', () => {
    // On-screen text feeds the text vectors and the language; faces and CLIP read scene_detect's frames, not OCR's output.
    expect(stagesToRerun(rows({}), JobStage.VisionSampleFrames)).toEqual([
      JobStage.EmbedText,
      JobStage.VisionSampleFrames,
      JobStage.LanguageDetect,
      JobStage.SidecarBuild,
      JobStage.Commit,
    ]);
    expect(stagesToRerun(rows({}), JobStage.SceneDetect)).toEqual(
      expect.arrayContaining([JobStage.VisionSampleFrames, JobStage.FacesEnrollMatch, JobStage.VisionEmbedFrames, JobStage.VisionObjects]),
    );
  });
});
