import { resolveFfmpegBinaries } from '@heimdex/media';
import type { FaceEngine } from '@heimdex/ml';
import { clusterTracks, similarityDistributions, trackRecordings } from './face-calibration';
import { gridRecordings } from './grid-speakers';

/** A face track joins one followed by its box at this similarity (faces-enroll-match.stage.ts). */
const FOLLOW_THRESHOLD = 0.85;

/** Prints FACE_CLUSTER_EPS's calibration on the GRID recordings: similarity distributions and clusters per eps. */
export async function printClusterCalibration(engine: FaceEngine, threshold: number, configuredEps: number, minSize: number, epsList: string): Promise<void> {
  const recordings = gridRecordings();
  const people = new Set(recordings.map((r) => r.person)).size;
  if (recordings.length < 2) {
    console.log('\nclustering calibration: fewer than two GRID recordings in test/fixtures/realmedia/faces; skipped');
    return;
  }
  const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const { tracks, cost } = await trackRecordings(bins, engine, recordings, { threshold, followThreshold: Math.min(threshold, FOLLOW_THRESHOLD) });
  const d = similarityDistributions(tracks);
  const fmt = (xs: number[]) => (xs.length ? `${xs.slice(0, 8).join(' ')}${xs.length > 8 ? ' …' : ''} (${xs.length} pairs)` : 'none');
  console.log(`\nclustering calibration on real video: ${recordings.length} GRID recordings of ${people} people, ${tracks.length} tracks`);
  console.log(`  frames ${cost.frames}, faces ${cost.faces}, descriptors computed ${cost.described}, reused ${cost.reused}, ${cost.msPerFrame} ms per frame`);
  console.log(`  same person, separate recordings (lowest first):  ${fmt(d.samePerson)}`);
  console.log(`  different people (highest first):                 ${fmt(d.differentPeople)}`);
  const gap = d.samePerson.length && d.differentPeople.length ? (d.samePerson[0] - d.differentPeople[0]).toFixed(4) : 'n/a';
  console.log(`  gap (lowest same - highest different): ${gap}`);
  console.log('  eps    clusters noise purity completeness merged-pairs');
  const list = [...new Set([configuredEps, ...epsList.split(',').map(Number)])].sort((a, b) => a - b);
  for (const eps of list) {
    const s = await clusterTracks(tracks, eps, minSize);
    const mark = eps === configuredEps ? '  <- FACE_CLUSTER_EPS' : '';
    console.log(
      `  ${eps.toFixed(3)}  ${String(s.clusters).padStart(8)} ${String(s.noise).padStart(5)} ${s.purity.toFixed(3).padStart(6)} ${s.completeness.toFixed(3).padStart(12)} ${String(s.mergedPairs).padStart(12)}${mark}`,
    );
  }
}
