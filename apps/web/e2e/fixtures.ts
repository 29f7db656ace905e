import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import sharp from 'sharp';
import { bundledFfmpegPath } from '../../../libs/media/src/ffmpeg-binaries';

export const ADMIN_ID = '00000000-0000-4000-8000-0000000000a1';
export const USER_ID = '00000000-0000-4000-8000-0000000000b2';

/** A Supabase-shaped HS256 token signed with the stack's secret (see global-setup.ts). */
export function token(sub: string, opts: { admin?: boolean; email: string }): Promise<string> {
  const secret = process.env.HEIMDEX_E2E_SECRET;
  if (!secret) throw new Error('HEIMDEX_E2E_SECRET is not set: global-setup did not start the stack');
  return new SignJWT({
    email: opts.email,
    role: 'authenticated',
    aud: 'authenticated',
    app_metadata: opts.admin ? { role: 'admin', tier: 'pro' } : {},
    user_metadata: {},
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(Buffer.from(secret));
}

/** The development sign-in: paste the token, as a new user does with the one `npm start` printed. */
export async function signIn(page: Page, jwt: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Token').fill(jwt);
  await page.getByRole('button', { name: 'Sign in with this token' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** With HEIMDEX_SCREENSHOTS set, the page at desktop (1280) and phone (390) widths into docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.HEIMDEX_SCREENSHOTS) return;
  const dir = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const [label, width, height] of [
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true, animations: 'disabled' });
  }
  if (original) await page.setViewportSize(original);
}

const FACE_DEMO = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/**
 * A 9-second 1280x720 clip with hard cuts: "WELCOME" (0–3 s), "LIGHTHOUSE" (3–6 s), then
 * face-api's demo photo sample1.jpg (6–9 s), whose faces include the "strawberry-blonde" woman.
 */
export function makeClip(): string {
  const ffmpeg = bundledFfmpegPath();
  const out = join(mkdtempSync(join(tmpdir(), 'heimdex-e2e-clip-')), 'harbour-tour.mp4');
  const text = (word: string, i: number) =>
    `[${i}:v]drawtext=fontfile=${FONT}:text='${word}':fontcolor=white:fontsize=96:x=(w-text_w)/2:y=(h-text_h)/2:box=1:boxcolor=black@0.7:boxborderw=16,setsar=1,fps=25,format=yuv420p[v${i}]`;
  execFileSync(ffmpeg, [
    '-y',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'color=c=0xf1f3f5:size=1280x720:rate=25:duration=3',
    '-f',
    'lavfi',
    '-i',
    'color=c=0x1864ab:size=1280x720:rate=25:duration=3',
    '-loop',
    '1',
    '-framerate',
    '25',
    '-t',
    '3',
    '-i',
    join(FACE_DEMO, 'sample1.jpg'),
    '-filter_complex',
    [
      text('WELCOME', 0),
      text('LIGHTHOUSE', 1),
      '[2:v]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p[v2]',
      '[v0][v1][v2]concat=n=3:v=1:a=0[v]',
    ].join(';'),
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-movflags',
    '+faststart',
    out,
  ]);
  return out;
}

/** A 400 px square around the strawberry-blonde woman's face in sample3.jpg: another photo of the person in the clip. */
export function facePhoto(): Promise<Buffer> {
  return sharp(join(FACE_DEMO, 'sample3.jpg')).extract({ left: 985, top: 164, width: 400, height: 400 }).jpeg({ quality: 92 }).toBuffer();
}

export const GROUP_PHOTO = join(FACE_DEMO, 'sample1.jpg');
