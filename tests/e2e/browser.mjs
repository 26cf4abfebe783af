// Launches Debian's Chromium through playwright-core. Test tools never download a
// browser of their own; `cargo xtask test` installs /usr/bin/chromium. Playwright
// gives each launch a new, empty profile folder and removes it on close.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
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

let counter = 0;
/// An e-mail address no earlier test run has used.
export const uniqueEmail = (who) => `${who}.${Date.now()}.${counter++}@example.com`;

export async function signUp(page, email, name = 'Ada Lovelace', base = process.env.AISLE_URL) {
  await page.goto(base + '/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel(/^Password/).fill('a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: `Hello, ${name}` }).waitFor();
}

export async function signIn(page, email, password, base = process.env.AISLE_URL) {
  await page.goto(base + '/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
}

/// The e-mails the server wrote to its mail folder for `address`.
export function mailTo(address, dir = process.env.AISLE_MAIL_DIR) {
  let files = [];
  try { files = readdirSync(dir); } catch { return []; }
  return files.map((f) => readFileSync(join(dir, f), 'utf8')).filter((m) => m.includes(`To: ${address}`));
}

export async function waitFor(check, what, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/// Starts a real server of our own (AISLE_SERVER_BIN) on `addr` over `env`, and
/// resolves to its base URL once it says it is running.
export function startServer(env, addr = '127.0.0.1:0') {
  const server = spawn(process.env.AISLE_SERVER_BIN, ['serve'], {
    env: { ...process.env, ...env, AISLE_ADDR: addr },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start')), 30000);
    server.stdout.on('data', (chunk) => {
      const m = /Aisle is running at (http:\/\/[^/\s]+)/.exec(chunk.toString());
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
  return { server, base };
}
