/**
 * The benchmark's synthetic programme: 720p shots of moving lavfi content (testsrc2, mandelbrot
 * zoom, game of life) and still slides held 20–30 s, hard cuts and a few fade-through-black
 * transitions, moving and fading on-screen text, and audio that alternates espeak-ng speech with a
 * music-like melody over a chord. Only filters that both the bundled ffmpeg 4.1 and Debian's 5.1
 * have (no xfade), so either can render it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const WORDS = ['budget', 'meeting', 'review', 'planning', 'design', 'product', 'launch', 'market', 'sales', 'quarter', 'team', 'growth'];
const FPS = 25;
const SIZE = '1280x720';

type ShotKind = 'testsrc2' | 'mandelbrot' | 'life' | 'still';
interface Shot {
  kind: ShotKind;
  seconds: number;
  fade: boolean;
}

export interface ProgrammePlan {
  shots: Shot[];
  speechSeconds: number;
  musicSeconds: number;
}

/** Shot lengths cycle deterministically; every fifth shot is a still slide, every fourth fades through black. */
export function planShots(totalS: number): Shot[] {
  const kinds: ShotKind[] = ['testsrc2', 'mandelbrot', 'life', 'testsrc2', 'still'];
  const moving = [4, 7, 5, 9, 6, 3, 8];
  const shots: Shot[] = [];
  let left = totalS;
  for (let i = 0; left > 0; i++) {
    const kind = kinds[i % kinds.length];
    const want = kind === 'still' ? 20 + ((i * 7) % 11) : moving[i % moving.length];
    const seconds = want >= left || left - want < 2 ? left : want;
    shots.push({ kind, seconds, fade: i % 4 === 2 });
    left -= seconds;
  }
  return shots;
}

function background(shot: Shot): string {
  const frames = Math.round(shot.seconds * FPS);
  switch (shot.kind) {
    case 'testsrc2':
      return `testsrc2=s=${SIZE}:r=${FPS}:d=${shot.seconds}`;
    // Rendered small and scaled: both are slow to compute at 720p on a loaded machine.
    case 'mandelbrot':
      return `mandelbrot=s=426x240:r=${FPS}:end_pts=${shot.seconds * 4}:end_scale=0.02,trim=duration=${shot.seconds},scale=${SIZE.replace('x', ':')}`;
    case 'life':
      return `life=s=320x180:r=${FPS}:mold=10:ratio=0.15:life_color=#40e0a0:death_color=#603030,trim=duration=${shot.seconds},scale=${SIZE.replace('x', ':')}:flags=neighbor`;
    case 'still':
      return `mandelbrot=s=640x360:r=${FPS}:start_scale=0.5,trim=end_frame=1,scale=${SIZE.replace('x', ':')},loop=loop=${frames - 1}:size=1:start=0,setpts=N/${FPS}/TB`;
  }
}

function caption(shot: Shot, i: number): string {
  const word = `${WORDS[i % WORDS.length].toUpperCase()} ${i}`;
  const text = `drawtext=fontfile=${FONT}:fontcolor=white:borderw=3:bordercolor=black@0.7`;
  if (shot.kind === 'still') {
    // A slide title that fades in over 1.5 s and stays, and a fixed footer.
    return `,${text}:text='${word} REPORT':fontsize=64:x=(w-text_w)/2:y=h/3:alpha='min(1,t/1.5)',${text}:text='slide ${i}':fontsize=28:x=40:y=h-60`;
  }
  if (i % 3 === 0) return `,${text}:text='${word}':fontsize=56:x='w-mod(t*240,w+text_w)':y=h-120`; // a ticker crossing the frame
  if (i % 3 === 1) return `,${text}:text='${word}':fontsize=72:x=(w-text_w)/2:y=(h-text_h)/2:alpha='if(lt(t,1),0,min(1,(t-1)/1))'`;
  return '';
}

function shotFilter(shot: Shot, i: number): string {
  const fade = shot.fade ? `,fade=t=in:st=0:d=0.8,fade=t=out:st=${Math.max(0, shot.seconds - 0.8)}:d=0.8` : '';
  return `${background(shot)},format=yuv420p${caption(shot, i)}${fade},setsar=1[v${i}]`;
}

/** Speech and music alternate in 15 s blocks, so each covers about half the programme. */
function audioBlocks(totalS: number, speech: boolean): { speech: boolean; seconds: number }[] {
  const blocks: { speech: boolean; seconds: number }[] = [];
  for (let at = 0, i = 0; at < totalS; at += 15, i++) blocks.push({ speech: speech && i % 2 === 0, seconds: Math.min(15, totalS - at) });
  return blocks;
}

/** A melody stepping through a pentatonic scale twice a second over a soft A-minor chord. */
function music(seconds: number): string {
  const melody = `0.25*sin(2*PI*t*440*pow(2\\,(floor(mod(t*2\\,5))*2+floor(mod(t*2\\,5)/3))/12))*(1-0.6*mod(t*2\\,1))`;
  const chord = `0.08*(sin(2*PI*220*t)+sin(2*PI*261.63*t)+sin(2*PI*329.63*t))`;
  return `aevalsrc='${melody}+${chord}':s=44100:d=${seconds}`;
}

export function renderProgramme(ffmpeg: string, dir: string, totalS: number, speech: boolean): { file: string; plan: ProgrammePlan } {
  const shots = planShots(totalS);
  const blocks = audioBlocks(totalS, speech);
  const inputs: string[] = [];
  const audio = blocks.map((b, i) => {
    if (!b.speech) return `${music(b.seconds)},aformat=sample_rates=44100:channel_layouts=mono[a${i}]`;
    const wav = join(dir, `speech-${i}.wav`);
    const line = Array.from({ length: 3 }, (_, k) => `${WORDS[(i + k) % WORDS.length]} ${WORDS[(i * 5 + k) % WORDS.length]} update number ${i * 3 + k}.`).join(
      ' ',
    );
    execFileSync('espeak-ng', ['-w', wav, '-s', '150', line]);
    inputs.push('-i', wav);
    return `[${inputs.length / 2 - 1}:a]aresample=44100,aformat=sample_rates=44100:channel_layouts=mono,apad,atrim=0:${b.seconds}[a${i}]`;
  });
  const graph = [
    ...shots.map(shotFilter),
    `${shots.map((_, i) => `[v${i}]`).join('')}concat=n=${shots.length}:v=1:a=0[v]`,
    ...audio,
    `${blocks.map((_, i) => `[a${i}]`).join('')}concat=n=${blocks.length}:v=0:a=1[a]`,
  ].join(';\n');
  writeFileSync(join(dir, 'graph.txt'), graph);
  const file = join(dir, `bench-${totalS}s.mp4`);
  execFileSync(ffmpeg, [
    '-y',
    '-v',
    'error',
    ...inputs,
    '-filter_complex_script',
    join(dir, 'graph.txt'),
    '-map',
    '[v]',
    '-map',
    '[a]',
    '-t',
    String(totalS),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-ar',
    '44100',
    '-movflags',
    '+faststart',
    file,
  ]);
  const speechSeconds = blocks.filter((b) => b.speech).reduce((a, b) => a + b.seconds, 0);
  return { file, plan: { shots, speechSeconds, musicSeconds: totalS - speechSeconds } };
}
