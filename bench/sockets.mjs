// Open chat sockets for the soak part of the API benchmark (`cargo xtask bench`, see
// xtask/src/bench_api.rs).
//
//   node bench/sockets.mjs <AISLE_URL> [sockets=500] [seconds=60]
//
// Opens `sockets` live-chat WebSockets as that many guests would (a session cookie,
// the page's Origin, `hello` with a support token), holds them all for `seconds`, and
// counts what went wrong: sockets that never opened, never got their `welcome`, or
// closed before the end. The server pings every 20 s; `ws` answers the pings. Prints
// `name<TAB>value<TAB>unit` lines.

import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const [base, countArg = '500', secondsArg = '60'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/sockets.mjs <AISLE_URL> [sockets] [seconds]');
  process.exit(2);
}
const count = Number(countArg) || 500;
const seconds = Math.min(Number(secondsArg) || 60, 120);
const wsBase = base.replace(/^http/, 'ws');

let welcomed = 0;
let failed = 0;
let closedEarly = 0;
const sockets = [];
let ending = false;

async function open() {
  const s = await fetch(`${base}/api/session`);
  const cookie = (s.headers.get('set-cookie') ?? '').split(';')[0];
  await s.arrayBuffer();
  return new Promise((resolve) => {
    const ws = new WebSocket(`${wsBase}/api/support/chat/ws`, { headers: { cookie, origin: base } });
    let settled = false;
    const done = (ok) => { if (!settled) { settled = true; if (ok) welcomed += 1; else failed += 1; resolve(); } };
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', support_token: randomBytes(32).toString('hex'), after: 0 })));
    ws.on('message', (data) => { if (JSON.parse(String(data)).type === 'welcome') done(true); });
    ws.on('error', () => done(false));
    ws.on('close', () => { if (!ending) { if (settled) closedEarly += 1; else done(false); } });
    setTimeout(() => done(false), 10_000);
    sockets.push(ws);
  });
}

// Open in batches, as visitors arrive, not in one burst of 500 handshakes.
for (let i = 0; i < count; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, count - i) }, open));
}
console.error(`sockets: ${welcomed} of ${count} open and welcomed; holding them for ${seconds} s`);
await new Promise((r) => setTimeout(r, seconds * 1000));
const stillOpen = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
ending = true;
for (const ws of sockets) ws.terminate();
console.log(`chat sockets held\t${stillOpen}\tsockets`);
console.log(`chat socket errors\t${failed + closedEarly}\terrors`);
