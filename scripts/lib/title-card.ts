import { execFileSync } from 'node:child_process';
import { TEST_FONT as TITLE_FONT } from './media';

export interface TitleCardSpec {
  /** Background photo, scaled to fill the frame. */
  background: string;
  /** Fades in over holdS from fadeInS, stays, fades out over holdS from fadeOutS. */
  title: { text: string; fadeInS: number; fadeOutS: number; holdS: number; size: number };
  credit: { text: string; fromS: number; toS: number; size: number };
  durationS: number;
}

export const DEFAULT_TITLE_CARD = (background: string): TitleCardSpec => ({
  background,
  // 1.5 s in, 1.5 s full, 1.5 s out: visible (fading) for 4.5 s of the 13 s shot.
  title: { text: 'Evening Harbour', fadeInS: 5, fadeOutS: 8, holdS: 1.5, size: 30 },
  credit: { text: 'an open movie by the Harbour Studio', fromS: 1, toS: 3.5, size: 12 },
  durationS: 13,
});

/** The spec rendered as 320x180 H.264 in MPEG-TS, with a slow push-in so no two frames are equal. */
export function renderTitleCard(ffmpeg: string, spec: TitleCardSpec, out: string): string {
  const t = spec.title;
  const alpha = `if(lt(t,${t.fadeInS}),0,if(lt(t,${t.fadeInS + t.holdS}),(t-${t.fadeInS})/${t.holdS},if(lt(t,${t.fadeOutS}),1,if(lt(t,${t.fadeOutS + t.holdS}),(${t.fadeOutS + t.holdS}-t)/${t.holdS},0))))`;
  const c = spec.credit;
  const graph = [
    `[0:v]scale=400:-2,crop=400:224,zoompan=z='1+0.0008*on':d=${Math.round(spec.durationS * 25)}:s=320x180:fps=25`,
    `drawtext=fontfile=${TITLE_FONT}:text='${c.text}':fontsize=${c.size}:fontcolor=white:x=(w-text_w)/2:y=h-30:enable='between(t,${c.fromS},${c.toS})'`,
    `drawtext=fontfile=${TITLE_FONT}:text='${t.text}':fontsize=${t.size}:fontcolor=white:borderw=2:bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:alpha='${alpha}'`,
    'format=yuv420p[v]',
  ].join(',');
  execFileSync(ffmpeg, [
    '-y',
    '-v',
    'error',
    '-loop',
    '1',
    '-i',
    spec.background,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-t',
    String(spec.durationS),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-f',
    'mpegts',
    out,
  ]);
  return out;
}
