/**
 * The faces part of eval:real (`--set vision`): real talking heads (shared/realmedia faces/*.mpg,
 * GRID corpus, four different people), each clip cut in two halves that stand for two videos of
 * the same person. Frames come from the pipeline's own decode pass (runScenePass); faces from the
 * worker's face engine. Prints frames analysed / skipped, faces found, what detection costs per
 * frame, and the cosine similarities of track descriptors: same person across "videos" vs
 * different people, which FACE_CLUSTER_EPS (cosine distance) and the track threshold are chosen from.
 */
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { matchScenes } from '@heimdex/faces';
import { cosineSimilarity, FaceEngine, FaceMatchRule, meanDirection } from '@heimdex/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface FaceEvalResult {
  clips: { clip: string; framesAnalysed: number; framesSkipped: number; faces: number; detectMsPerFrame: number }[];
  /** Per half-clip ("video"): the unit mean descriptor of its faces. */
  sameAcrossVideos: number[];
  differentPeople: number[];
  /** Largest cosine distance that keeps every same-person pair together, and the smallest between different people. */
  sameMaxDistance: number;
  differentMinDistance: number;
  /**
   * Each person enrolled from one frame of the first half (as from a photo); the second half's
   * track (mean of its faces) matched by the pipeline's rule (matchScenes) against everyone.
   */
  enrolled: { rule: FaceMatchRule; probes: number; named: number; correct: number; precision: number; recall: number };
}

export async function evalFaceSimilarities(
  bins: FfmpegBinaries,
  engine: FaceEngine,
  clips: string[],
  rule: FaceMatchRule = { threshold: 0.945, margin: 0.02 },
  sampleFps = 2,
  /** Who is in a clip (file name without .mpg → person); default: every clip a different person. */
  speakers: Record<string, string> = {},
): Promise<FaceEvalResult> {
  const halves: { person: string; half: number; descriptor: Float32Array; first: Float32Array }[] = [];
  const out: FaceEvalResult['clips'] = [];
  for (const clip of clips) {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-eval-faces-'));
    const pass = await runScenePass(bins, clip, dir, { framesPerSecond: sampleFps, maxFrameSide: 1280 });
    const byHalf: Float32Array[][] = [[], []];
    const started = process.hrtime.bigint();
    let faces = 0;
    for (const frame of pass.frames) {
      const found = await engine.detect(readFileSync(frame.path));
      faces += found.length;
      const best = found.sort((a, b) => b.score - a.score)[0];
      if (best) byHalf[frame.timeS < pass.durationS / 2 ? 0 : 1].push(best.descriptor);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    out.push({
      clip: basename(clip),
      framesAnalysed: pass.frames.length,
      framesSkipped: pass.duplicates,
      faces,
      detectMsPerFrame: Math.round(ms / Math.max(1, pass.frames.length)),
    });
    byHalf.forEach((half, k) => {
      const name = basename(clip, '.mpg');
      if (half.length) halves.push({ person: speakers[name] ?? name, half: k, descriptor: meanDirection(half), first: half[0] });
    });
  }
  const same: number[] = [];
  const different: number[] = [];
  for (let i = 0; i < halves.length; i++) {
    for (let j = i + 1; j < halves.length; j++) {
      const sim = round(cosineSimilarity(halves[i].descriptor, halves[j].descriptor));
      (halves[i].person === halves[j].person ? same : different).push(sim);
    }
  }
  const people = halves.filter((h) => h.half === 0).map((h) => ({ personId: h.person, exemplars: [h.first] }));
  const probes = halves.filter((h) => h.half === 1);
  const matches = matchScenes(
    probes.map((p, i) => ({ sceneId: String(i), descriptor: p.descriptor })),
    people,
    rule,
  );
  const named = matches.filter(Boolean).length;
  const correct = matches.filter((m, i) => m?.personId === probes[i].person).length;
  return {
    enrolled: {
      rule,
      probes: probes.length,
      named,
      correct,
      precision: named ? round(correct / named) : 1,
      recall: probes.length ? round(correct / probes.length) : 0,
    },
    clips: out,
    sameAcrossVideos: same,
    differentPeople: different.sort((a, b) => b - a),
    sameMaxDistance: round(1 - Math.min(...same)),
    differentMinDistance: round(1 - Math.max(...different)),
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
