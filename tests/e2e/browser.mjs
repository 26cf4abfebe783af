// Launches Debian's Chromium through playwright-core. Test tools never download a
// browser of their own; `cargo xtask test` installs /usr/bin/chromium. Playwright
// gives each launch a new, empty profile folder and removes it on close.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/// Saves a screenshot for review when AISLE_SCREENSHOTS names a folder.
export async function shot(page, name) {
  const dir = process.env.AISLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
