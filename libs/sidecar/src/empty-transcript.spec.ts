import { buildSidecar, toSrt, toWebVtt, validateSidecar, webVttNote } from '@heimdex/sidecar';
import { bareInput, GENERATED_AT } from '../test/sidecar-input.fixture';

/** An empty transcript says why it is empty: in the sidecar, as a WebVTT NOTE, and (SRT having no comments) for the API's header. */
describe('empty transcript', () => {
  const withAsr = (state: 'skipped' | 'failed' | 'completed', reason: string | null) => ({
    ...bareInput(),
    stages: [{ stage: 'asr_fast' as const, state, reason }],
  });

  it('the sidecar names the speech stage and its reason, and still matches its schema', () => {
    const skipped = buildSidecar(withAsr('skipped', 'no speech engine installed (set MODEL_DIR or install pocketsphinx)'), GENERATED_AT);
    expect(skipped.transcript).toEqual({
      language: null,
      source: null,
      model: null,
      segments: [],
      note: 'no transcript: speech recognition was skipped; no speech engine installed (set MODEL_DIR or install pocketsphinx)',
    });
    expect(validateSidecar(skipped)).toEqual({ ok: true });
    expect(buildSidecar(withAsr('failed', 'pocketsphinx exited with 1'), GENERATED_AT).transcript.note).toBe(
      'no transcript: speech recognition was failed; pocketsphinx exited with 1',
    );
    expect(buildSidecar(withAsr('completed', null), GENERATED_AT).transcript.note).toBe('no transcript: speech recognition found no speech');
  });

  it('a transcript with segments has no note', () => {
    const input = { ...withAsr('completed', null), transcript: { language: 'en', segments: [{ startS: 0, endS: 1, text: 'hi', words: [] }] } };
    expect(buildSidecar(input, GENERATED_AT).transcript.note).toBeUndefined();
  });

  it('WebVTT carries the note as a NOTE block on one line; SRT stays empty; webVttNote reads it back', () => {
    const note = 'no transcript: speech recognition was skipped;\nsee --> the docs';
    const vtt = toWebVtt({ segments: [], note });
    expect(vtt).toBe('WEBVTT\n\nNOTE no transcript: speech recognition was skipped; see -> the docs\n');
    expect(webVttNote(vtt)).toBe('no transcript: speech recognition was skipped; see -> the docs');
    expect(toSrt({ segments: [], note })).toBe('');
    // With cues, no note is written (and none is read).
    const cued = toWebVtt({ segments: [{ startS: 0, endS: 1, text: 'hi', words: [] }], note });
    expect(cued).not.toMatch(/NOTE/);
    expect(webVttNote(cued)).toBeNull();
  });
});
