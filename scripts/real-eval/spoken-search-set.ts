import { resolveFfmpegBinaries } from '@heimdex/media';
import { readWavInfo } from '@heimdex/ml';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bearer } from '../lib/tokens';
import { VideosClient } from '../lib/videos-client';
import { startPipelineStack } from './pipeline-stack';
import type { RealEvalContext, RealEvalMetric, RealEvalResult, RealEvalSet } from './real-eval-set';
import { normaliseWords } from './word-error-rate';

interface Cue {
  startS: number;
  endS: number;
  text: string;
}

interface Item {
  id: string;
  audio: string;
  cues: [Cue, Cue];
  /** Two adjacent words of the second cue, searched for as a phrase. */
  phrase: string;
}

/** LJ Speech utterances captioned with their human transcript in two cues, the split placed in proportion to the words. */
function items(context: RealEvalContext, durations: Map<string, number>): Item[] {
  const dir = join(context.fixturesDir, 'speech');
  const lines = readFileSync(join(dir, 'metadata.csv'), 'utf8').trim().split(/\r?\n/);
  return lines.slice(0, context.small ? 4 : undefined).flatMap((line) => {
    const [id, , text] = line.split('|');
    const words = text.split(' ');
    const durationS = durations.get(id) ?? 0;
    const half = Math.ceil(words.length / 2);
    const midS = Math.round(((durationS * half) / words.length) * 1000) / 1000;
    const second = words.slice(half).map((w) => normaliseWords(w).join(' '));
    const at = second.findIndex((w, i) => i + 1 < second.length && w.length >= 4 && second[i + 1].length >= 4);
    if (at < 0) return [];
    return [
      {
        id,
        audio: join(dir, `${id}.wav`),
        phrase: `${second[at]} ${second[at + 1]}`,
        cues: [
          { startS: 0, endS: midS, text: words.slice(0, half).join(' ') },
          { startS: midS, endS: durationS, text: words.slice(half).join(' ') },
        ],
      },
    ];
  });
}

function srtTime(s: number): string {
  const ms = Math.round(s * 1000);
  return `00:00:${String(Math.floor(ms / 1000)).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * Search recall@5 for spoken phrases through the real pipeline: the same LJ Speech recordings
 * indexed once with their human transcript muxed in as an mp4 subtitle stream (captions) and once
 * without (speech recognition), each in its own account.
 */
export const spokenSearchSet: RealEvalSet = {
  name: 'spoken-search (LJ Speech, captions and ASR)',
  description: 'search recall@5 of spoken phrases, and caption hits inside their cue',
  run: async (context): Promise<RealEvalResult> => {
    const bins = resolveFfmpegBinaries(context.config.media);
    const durations = new Map<string, number>();
    const dir = join(context.fixturesDir, 'speech');
    for (const line of readFileSync(join(dir, 'metadata.csv'), 'utf8').trim().split(/\r?\n/)) {
      const id = line.split('|')[0];
      durations.set(id, (await readWavInfo(join(dir, `${id}.wav`))).durationS);
    }
    const chosen = items(context, durations);
    const stack = await startPipelineStack(context.config, {});
    try {
      const accounts = {
        captions: await stack.token('00000000-0000-4000-8000-00000000ca91'),
        asr: await stack.token('00000000-0000-4000-8000-00000000a5a1'),
      };
      const videos = new Map<string, string>();
      for (const item of chosen) {
        for (const kind of ['captions', 'asr'] as const) {
          const file = join(context.workDir, `${item.id}-${kind}.mp4`);
          const srt = join(context.workDir, `${item.id}.srt`);
          writeFileSync(srt, item.cues.map((c, i) => `${i + 1}\n${srtTime(c.startS)} --> ${srtTime(c.endS)}\n${c.text}\n`).join('\n'));
          const subtitle = kind === 'captions' ? ['-i', srt, '-map', '0:v', '-map', '1:a', '-map', '2:s', '-c:s', 'mov_text'] : ['-map', '0:v', '-map', '1:a'];
          execFileSync(bins.ffmpeg, [
            '-v',
            'error',
            '-y',
            '-f',
            'lavfi',
            '-i',
            `color=c=gray:s=320x240:d=${item.cues[1].endS}`,
            '-i',
            item.audio,
            ...subtitle,
            '-c:v',
            'libx264',
            '-pix_fmt',
            'yuv420p',
            '-c:a',
            'aac',
            // Not -shortest: with a subtitle input, ffmpeg 4.1 ends every stream at the first cue's packet (a 1-frame picture).
            '-t',
            String(item.cues[1].endS),
            file,
          ]);
          videos.set(`${kind}:${item.id}`, await new VideosClient(stack.baseUrl, accounts[kind]).upload(file, { title: `clip ${kind}` }));
        }
      }
      for (const [key, id] of videos) {
        await new VideosClient(stack.baseUrl, accounts[key.startsWith('captions') ? 'captions' : 'asr']).indexed(id, 600_000);
        context.log(`indexed ${key}`);
      }
      const metrics: RealEvalMetric[] = [];
      for (const kind of ['captions', 'asr'] as const) {
        let found = 0;
        let inCue = 0;
        for (const item of chosen) {
          const body = (
            await request(stack.baseUrl)
              .get('/v1/search')
              .query({ q: `"${item.phrase}"`, limit: 5 })
              .set(bearer(accounts[kind]))
              .expect(200)
          ).body as {
            items: { videoId: string; matchStartS: number | null }[];
          };
          const hit = body.items.find((h) => h.videoId === videos.get(`${kind}:${item.id}`));
          context.log(`${kind} "${item.phrase}": ${hit ? `found at ${hit.matchStartS}` : 'not found'}`);
          if (!hit) continue;
          found++;
          const cue = item.cues[1];
          if (hit.matchStartS !== null && hit.matchStartS >= cue.startS - 0.001 && hit.matchStartS <= cue.endS) inCue++;
        }
        const recall = chosen.length ? found / chosen.length : 0;
        metrics.push({
          name: `recall@5, ${kind}`,
          value: recall,
          detail: `${found} of ${chosen.length} phrase(s)`,
          ...(kind === 'captions' ? { target: '= 1', met: recall === 1 } : {}),
        });
        if (kind === 'captions')
          metrics.push({
            name: 'caption hits inside their cue',
            value: found ? inCue / found : 0,
            target: '= 1',
            met: found > 0 && inCue === found,
            detail: `${inCue} of ${found}`,
          });
      }
      return { metrics };
    } finally {
      await stack.close();
    }
  },
};
