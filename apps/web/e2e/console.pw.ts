import { expect, test } from '@playwright/test';
import { JobStage } from '../../../libs/db/src/enums';
import { hasChromium, NO_CHROMIUM } from './browser';
import { ADMIN_ID, facePhoto, GROUP_PHOTO, makeClip, screenshot, signIn, token, USER_ID } from './fixtures';

/**
 * What a new user does with the console, in order, against the real stack: each test builds on
 * the previous one's data (the uploaded clip, the enrolled person).
 */
test.describe.configure({ mode: 'serial' });
test.skip(!hasChromium(), NO_CHROMIUM);

let admin: string;
let user: string;
let videoUrl: string;

test.beforeAll(async () => {
  admin = await token(ADMIN_ID, { admin: true, email: 'admin@heimdex.local' });
  user = await token(USER_ID, { email: 'viewer@example.com' });
});

test('signs in with the dev token, stays signed in after a reload, and signs out', async ({ page }) => {
  const first = await page.goto('/');
  expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
  await screenshot(page, 'sign-in');
  await signIn(page, admin);

  // The seed's bug: tokens were never stored, so every call after the login got 403.
  const call = page.waitForRequest((r) => r.url().includes('/v1/videos') && r.method() === 'GET', { timeout: 30_000 });
  await page.reload();
  expect((await call).headers()['authorization']).toBe(`Bearer ${admin}`);
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Token')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Token')).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});

test('uploads a generated clip and follows its progress to indexed', async ({ page }) => {
  await signIn(page, admin);
  const ticketed = page.waitForRequest((r) => /\/v1\/videos\/[\w-]+\/events\?ticket=/.test(r.url()));
  await page.getByLabel('Choose a video').setInputFiles(makeClip());
  const row = page.locator('.video-row').first();
  await expect(row.getByRole('link', { name: 'harbour-tour' })).toBeVisible();
  await ticketed;
  await row.getByRole('button', { name: 'Stages' }).click();
  await expect(row.locator('.stage')).toHaveCount(Object.values(JobStage).length);
  await expect(row).toHaveAttribute('data-state', 'indexed', { timeout: 300_000 });
  await expect(row.getByText('100%', { exact: true })).toBeVisible();
  await screenshot(page, 'library');
  videoUrl = `/videos/${await row.getAttribute('data-video-id')}`;
});

test('finds a word of the on-screen text and opens the player at that second', async ({ page }) => {
  await signIn(page, admin);
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByLabel('Search your videos').fill('lighthouse');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hit = page.getByRole('list', { name: 'Results' }).getByRole('listitem').first();
  await expect(hit.locator('mark')).toHaveText(/lighthouse/i);
  await expect(hit.getByText(/Matched by .*on-screen text/)).toBeVisible();
  await screenshot(page, 'search');

  await hit.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/videos\/[\w-]+\?t=/);
  const at = Number(new URL(page.url()).searchParams.get('t'));
  expect(at).toBeGreaterThanOrEqual(2.5);
  expect(at).toBeLessThan(6);
  const video = page.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(at, 0);
  await expect(video.locator('track[kind="captions"]')).toHaveAttribute('src', /^blob:/);
  await screenshot(page, 'player');
});

test('enrols a face from a photo and sees the person named in a scene', async ({ page }) => {
  await signIn(page, admin);
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByLabel('New person').fill('Rosalind');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('heading', { name: 'Rosalind' })).toBeVisible();

  // A group photo is refused with advice, not a bare 422.
  await page.getByLabel('Choose a photo').setInputFiles(GROUP_PHOTO);
  // The API loads its face engine on the first enrolment: give it time on a busy machine.
  await expect(page.getByRole('alert')).toContainText('more than one face', { timeout: 180_000 });

  await page.getByLabel('Choose a photo').setInputFiles({ name: 'rosalind.jpg', mimeType: 'image/jpeg', buffer: await facePhoto() });
  // The notice, not the person's "1 face enrolled" summary that may show at the same time.
  await expect(page.getByRole('status').filter({ hasText: /^Face enrolled/ })).toBeVisible({ timeout: 120_000 });
  const appearance = page.getByRole('region', { name: 'Appearances' }).getByRole('listitem').first();
  await expect(async () => {
    await page.reload();
    await expect(appearance).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await screenshot(page, 'person');

  await page.goto(videoUrl);
  await expect(page.getByRole('region', { name: 'Scenes' }).getByRole('link', { name: 'Rosalind' })).toBeVisible();
  await page.getByRole('link', { name: 'People' }).click();
  await screenshot(page, 'people');
});

test('an admin verifies the audit chain and sees the queues', async ({ page }) => {
  await signIn(page, admin);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.locator('tr[data-queue="media"]')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Audit trail' }).getByText('videos.create').first()).toBeVisible();
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The audit chain is intact' })).toBeVisible();
  await screenshot(page, 'admin');
});

test('a non-admin sees no admin page and none of the admin’s videos', async ({ page }) => {
  await signIn(page, user);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await expect(page.getByText('No videos yet')).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByRole('alert')).toHaveText('This page is for administrators only.');
});
