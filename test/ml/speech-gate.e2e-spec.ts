import { extractSpeechWav, resolveFfmpegBinaries } from '@heimdex/media';
import { gateSpeech, loadAsr, type AsrEngine, type TranscriptWord } from '@heimdex/ml';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { repositoryRoot } from '../../scripts/real-eval/real-eval-set';
import { speechAvailable, writeSpeechWav } from '../helpers/speech';
import { testConfig } from '../helpers/test-config';

const dir = mkdtempSync(join(tmpdir(), 'heimdex-speech-gate-'));
const pocketsphinx =
  (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, 'pocketsphinx_continuous')) || existsSync(join(d, 'pocketsphinx'))) &&
  existsSync('/usr/share/pocketsphinx/model/en-us');
const ready = pocketsphinx && speechAvailable();
// Skipped only where Debian's pocketsphinx or espeak-ng (which speaks the test audio) is missing; .ci/run installs both.
const describeReady = ready ? describe : describe.skip;

/**
 * The pipeline's speech engine (Silero VAD gate, condensed regions, pocketsphinx, confidence floor)
 * on short synthetic phrases, the case the gate used to lose: with digital silence between the
 * condensed regions pocketsphinx put every word of one corpus video 1.8 s late, in the next phrase.
 */
describeReady(ready ? 'speech behind the VAD gate' : 'speech behind the VAD gate (skipped: apt-get install pocketsphinx pocketsphinx-en-us espeak-ng)', () => {
  let gated: AsrEngine;
  const words = async (wav: string): Promise<TranscriptWord[]> => (await gated.transcribe(wav, { language: 'en' })).segments.flatMap((s) => s.words);

  beforeAll(async () => {
    const config = testConfig({ ASR_ENGINE: 'pocketsphinx' });
    const loaded = await gateSpeech(config, await loadAsr(config, { reason: 'pocketsphinx only' }));
    if (!loaded.available) throw new Error(loaded.reason);
    gated = loaded.engine;
  });

  it('hears short phrases where they were said, and nothing between them', async () => {
    // The phrases and order test/ml/asr.e2e-spec.ts measured raw pocketsphinx on.
    const track = writeSpeechWav(
      join(dir, 'phrases.wav'),
      [
        { text: 'hello world', atS: 1 },
        { text: 'the stock market', atS: 6 },
        { text: 'happy birthday', atS: 11 },
      ],
      15,
    );
    const heard = await words(track.path);
    const during = (w: TranscriptWord, p: (typeof track.spoken)[number]) => w.startS >= p.startS - 0.5 && w.startS <= p.endS + 0.5;
    for (const phrase of track.spoken) {
      const near = heard.filter((w) => during(w, phrase));
      const expected = phrase.text.split(' ');
      expect({ phrase: phrase.text, near: near.map((w) => w.word) }).toEqual({ phrase: phrase.text, near: expect.arrayContaining(expected) });
      expect(Math.abs((near.find((w) => w.word === expected[0])?.startS ?? Infinity) - phrase.startS)).toBeLessThanOrEqual(0.5);
    }
    expect(heard.filter((w) => !track.spoken.some((p) => during(w, p)))).toEqual([]);
  });

  // A drum break; a guitar, where the VAD lets a stretch through and pocketsphinx hears "then" in it (confidence 0.05), a region dropped whole.
  it.each(['music/loop_amen_full.flac', 'music-heldout/guit_e_fifths.flac'])('hears nothing in music without speech: %s', async (file) => {
    const wav = join(dir, `${file.replace('/', '-')}.wav`);
    await extractSpeechWav(resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }), join(repositoryRoot(), 'test/fixtures/realmedia', file), wav);
    expect(await words(wav)).toEqual([]);
  });
});
