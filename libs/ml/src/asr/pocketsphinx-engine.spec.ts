import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PocketsphinxEngine } from './pocketsphinx-engine';
import type { PocketsphinxInstall } from './pocketsphinx-install';
import type { PocketsphinxOutputFormat } from './pocketsphinx-output';

const dir = mkdtempSync(join(tmpdir(), 'heimdex-pocketsphinx-engine-'));
const model = { code: 'en-us', language: 'en', hmm: '/m/en-us', lm: '/m/en-us.lm.bin', dict: '/m/cmudict-en-us.dict' };

/** A stand-in CLI (a sh script run directly, as the real binary would be). */
function fakeCli(name: string, script: string, format: PocketsphinxOutputFormat): PocketsphinxInstall {
  const binary = join(dir, name);
  writeFileSync(binary, `#!/bin/sh\n${script}\n`);
  chmodSync(binary, 0o755);
  return { binary, format, version: 'test', model };
}

function wavFile(name: string, samples: number, listChunk = false): string {
  const data = Buffer.alloc(samples * 2, 1);
  const list = listChunk ? Buffer.concat([Buffer.from('LIST\x0a\x00\x00\x00INFOabcdef', 'latin1')]) : Buffer.alloc(0);
  const h = Buffer.alloc(36);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(28 + list.length + 8 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(data.length, 4);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([h, list, dataHead, data]));
  return path;
}

/**
 * Prints, as a recognised word, how many bytes it was given and how: `file<N>` for the -infile it
 * was pointed at, `stdin<N>` for what came on stdin; and its arguments as a second utterance.
 */
const reportingContinuous = `
while [ $# -gt 0 ]; do
  if [ "$1" = "-infile" ]; then infile="$2"; fi
  args="$args \${1##*/}"
  shift
done
n=$(wc -c < "$infile")
echo "file$n"
echo "<s> 0.000 0.100 1.000000"
echo "file$n 0.100 0.500 0.900000"
echo "</s> 0.510 0.600 1.000000"
echo "args"
for a in $args; do echo "$a 1.000 1.000 1.0"; done
`;

describe('PocketsphinxEngine (with stand-in CLIs)', () => {
  it('gives pocketsphinx_continuous a canonical WAV directly, with the model and -time yes', async () => {
    const engine = new PocketsphinxEngine(fakeCli('pocketsphinx_continuous', reportingContinuous, 'continuous'));
    expect(engine.model).toEqual({ name: 'pocketsphinx-en-us', version: 'test' });
    const transcript = await engine.transcribe(wavFile('plain.wav', 1000), { language: 'en' });
    expect(transcript.language).toBe('en');
    expect(transcript.segments[0]).toEqual({
      startS: 0.1,
      endS: 0.5,
      text: 'file2044',
      words: [{ word: 'file2044', startS: 0.1, endS: 0.5, confidence: 0.9 }],
    });
    expect(transcript.segments[1].text).toBe('-hmm en-us -lm en-us.lm.bin -dict cmudict-en-us.dict -samprate 16000 -infile plain.wav -time yes');
  });

  it('gives it only the samples when the WAV has chunks before its data (ffmpeg)', async () => {
    const engine = new PocketsphinxEngine(fakeCli('pocketsphinx_continuous', reportingContinuous, 'continuous'));
    const transcript = await engine.transcribe(wavFile('ffmpeg.wav', 1000, true), { language: null });
    expect(transcript.segments[0].text).toBe('file2000');
    expect(transcript.segments[1].text).toContain('-infile part-0.raw');
  });

  it('streams the samples to `pocketsphinx live -` on stdin and reads its JSON', async () => {
    const script =
      'n=$(wc -c)\necho "{\\"b\\":0.5,\\"d\\":1,\\"p\\":1,\\"t\\":\\"x\\",\\"w\\":[{\\"b\\":0.5,\\"d\\":0.25,\\"p\\":0.9,\\"t\\":\\"stdin$n\\"},{\\"b\\":0.75,\\"d\\":0.1,\\"p\\":1,\\"t\\":\\"$*\\"}]}"';
    const engine = new PocketsphinxEngine(fakeCli('pocketsphinx', script, 'json'));
    const transcript = await engine.transcribe(wavFile('for-stdin.wav', 100000, true), { language: null });
    expect(transcript.segments[0].words[0]).toEqual({ word: 'stdin200000', startS: 0.5, endS: 0.75, confidence: 0.9 });
    expect(transcript.segments[0].words[1].word).toMatch(/ live -$/);
  });

  it('puts the error lines of stderr into the error when the CLI fails', async () => {
    const script =
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do echo "INFO: line $i" >&2; done\necho \'FATAL: "continuous.c", line 157: model broken\' >&2\necho "INFO: after" >&2\nexit 1';
    const engine = new PocketsphinxEngine(fakeCli('failing', script, 'continuous'));
    const wav = wavFile('fails.wav', 10);
    await expect(engine.transcribe(wav, { language: null })).rejects.toThrow(
      `pocketsphinx failed (exit code 1) on ${wav}\nFATAL: "continuous.c", line 157: model broken`,
    );
  });

  it('kills a run that takes too long', async () => {
    const engine = new PocketsphinxEngine(fakeCli('hanging', 'echo "INFO: decoding" >&2\nexec sleep 30', 'continuous'), {
      minTimeoutS: 0.3,
      timeoutPerAudioS: 0,
    });
    const started = Date.now();
    await expect(engine.transcribe(wavFile('slow.wav', 10), { language: null })).rejects.toThrow(
      /pocketsphinx timed out after 0.3 s on .*slow\.wav\nINFO: decoding/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a language its model does not speak, and files that are not 16 kHz mono WAV, before running anything', async () => {
    const engine = new PocketsphinxEngine(fakeCli('never-run', 'echo ran >&2\nexit 1', 'continuous'));
    await expect(engine.transcribe(wavFile('fr.wav', 10), { language: 'fr' })).rejects.toThrow('pocketsphinx model en-us transcribes en, not fr');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    await expect(engine.transcribe(text, { language: null })).rejects.toThrow(`${text} is not a WAV file (no RIFF/WAVE header)`);
  });
});
