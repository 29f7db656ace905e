import { existsSync } from 'node:fs';

/** Debian's chromium (`apt-get install chromium`); Playwright's own browser download cannot work offline. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const NO_CHROMIUM = `chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}
