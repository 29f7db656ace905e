/**
 * `npm run bench:batch [-- --videos 8 --seconds 12]`
 * Completes a batch of N short 720p videos at once (hard cuts, on-screen text, espeak-ng speech
 * when installed; each video different) and runs them through the real worker in its own process
 * (embedded PGlite, local storage, default concurrency). Prints when each video was indexed after
 * the batch was completed: first, median and last. A pipeline that moves every video through each
 * stage together indexes them all near the end; one that finishes videos in turn spreads them out.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateVideo, speechAvailable, startBenchStack } from './bench-stack';

interface VideoView {
  state: string;
  error: string | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { videos: { type: 'string', default: '8' }, seconds: { type: 'string', default: '12' } } });
  const n = Number(values.videos);
  const seconds = Number(values.seconds);
  const work = mkdtempSync(join(tmpdir(), 'heimdex-bench-batch-'));
  const speech = speechAvailable();
  const files = Array.from({ length: n }, (_, i) => generateVideo(mkdtempSync(join(work, `v${i}-`)), seconds / 60, 2 + i, speech));
  console.log(`generated ${n} videos of ${seconds} s (${speech ? 'espeak-ng speech' : 'sine tone'}) in ${work}`);

  const { base, auth, stop } = await startBenchStack();
  const ids: string[] = [];
  for (const [i, file] of files.entries()) {
    const body = JSON.stringify({ filename: `batch-${i}.mp4`, contentType: 'video/mp4', sizeBytes: statSync(file).size });
    const created = (await (await fetch(`${base}/v1/videos`, { method: 'POST', headers: auth, body })).json()) as {
      video: { id: string };
      upload: { url: string; headers: Record<string, string> };
    };
    const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
    if (!put.ok) throw new Error(`upload failed: ${put.status}`);
    ids.push(created.video.id);
  }

  const started = Date.now();
  await Promise.all(ids.map((id) => fetch(`${base}/v1/videos/${id}/complete`, { method: 'POST', headers: auth })));
  const doneAt = new Map<string, number>();
  const failed: string[] = [];
  while (doneAt.size + failed.length < n) {
    for (const id of ids.filter((i) => !doneAt.has(i) && !failed.includes(i))) {
      const v = (await (await fetch(`${base}/v1/videos/${id}`, { headers: auth })).json()) as VideoView;
      if (v.state === 'indexed') doneAt.set(id, (Date.now() - started) / 1000);
      if (v.state === 'failed') failed.push(`${id}: ${v.error}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();

  const times = [...doneAt.values()].sort((a, b) => a - b);
  const median = times.length ? (times[Math.floor((times.length - 1) / 2)] + times[Math.ceil((times.length - 1) / 2)]) / 2 : NaN;
  console.log(`\n${n} videos of ${seconds} s completed together; seconds until each was indexed:`);
  console.log(`  in order: ${times.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`  first ${times[0]?.toFixed(1)} s, median ${median.toFixed(1)} s, last ${times[times.length - 1]?.toFixed(1)} s`);
  if (failed.length) console.log(`  failed: ${failed.join('; ')}`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
