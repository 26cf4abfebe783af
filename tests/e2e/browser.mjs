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

/// Staff calls through the real API with a real session (cookie + CSRF token), signed
/// in with the account `cargo xtask test` made. Returns `call(method, path, body)`,
/// which resolves to the response.
export async function staffSession(base) {
  let cookie = '';
  const keepCookie = (res) => {
    const sc = res.headers.get('set-cookie');
    if (sc) cookie = sc.split(';')[0];
  };
  const call = async (method, path, body) => {
    const session = await fetch(`${base}/api/session`, { headers: { cookie } });
    keepCookie(session);
    const { csrf_token } = await session.json();
    const res = await fetch(base + path, {
      method,
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf_token },
      body: JSON.stringify(body ?? {}),
    });
    keepCookie(res);
    return res;
  };
  const signedIn = await call('POST', '/api/session', { email: process.env.AISLE_STAFF_EMAIL, password: process.env.AISLE_STAFF_PASSWORD });
  if (signedIn.status !== 200) throw new Error(`staff sign-in failed: ${signedIn.status}`);
  return call;
}
