// End-to-end: reaching a person. A shopper and an agent, each in their own browser
// context, chat live in both directions — through a server that is killed and
// restarted mid-conversation, and a shopper who drops offline — then book and complete
// a call-back, and open, answer and close a message thread, while the agent works from
// the single customer view. This file runs its own real server (AISLE_SERVER_BIN) so
// it can kill it; nothing here is mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, mailTo, openPage, shot, signIn, signUp, startServer, uniqueEmail, waitFor } from './browser.mjs';

const { AISLE_SERVER_BIN: BIN, AISLE_BUILD_A: WEB } = process.env;
if (!BIN || !WEB) throw new Error('run these tests with `cargo xtask test`');

const STAFF = { email: 'agent@aisle.test', password: 'an agent password', name: 'Sam Agent' };
let browser, dir, env, server, base, addr;

before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'aisle-support-'));
  env = { DATABASE_URL: `sqlite://${join(dir, 'aisle.db')}`, AISLE_WEB_DIR: WEB, AISLE_MAIL_DIR: join(dir, 'mail'), AISLE_SUPPORT_HOURS: 'Mon-Sun 00:00-24:00' };
  const made = spawnSync(BIN, ['create-staff', '--email', STAFF.email, '--name', STAFF.name], {
    env: { ...process.env, ...env, AISLE_STAFF_PASSWORD: STAFF.password },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, `create-staff failed: ${made.stderr}`);
  await start('127.0.0.1:0');
  addr = new URL(base).host;
});

after(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(at) {
  const started = startServer(env, at);
  server = started.server;
  base = await started.base;
}

const newPage = (viewport) => openPage(browser, viewport);

async function agentConsole() {
  const agent = await newPage();
  await signIn(agent.page, STAFF.email, STAFF.password, base);
  await agent.page.goto(base + '/staff/support');
  await agent.page.getByText('Connected — shoppers see that an agent is online.').waitFor();
  return agent;
}

async function openHelp(page, tab) {
  if (!(await page.getByTestId('support-panel').isVisible())) await page.getByTestId('help-button').click();
  await page.getByTestId(`tab-${tab}`).click();
}

/// The texts of the chat bubbles written by `author` in `scope`.
const bubbles = (scope, author) => scope.locator(`li[data-author="${author}"] .chat-text`).allTextContents();

async function customerSays(page, text) {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-send').click();
}

test('live chat: a guest and an agent talk both ways, through a killed server and a dropped connection', async () => {
  const agent = await agentConsole();
  const shopper = await newPage({ width: 390, height: 844 });
  const { page } = shopper;
  await page.goto(base + '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome to Aisle' }).waitFor();
  await openHelp(page, 'chat');
  await page.getByTestId('chat-availability').filter({ hasText: 'An agent is online' }).waitFor();

  // Shopper → agent; the message appears in the agent's queue and customer view.
  await customerSays(page, 'Hello, where is my parcel? <b>urgent</b>');
  await page.locator('[data-testid="chat-log"] li[data-author="customer"]').filter({ hasText: 'where is my parcel' }).waitFor();
  const item = agent.page.getByTestId('queue-item').filter({ hasText: 'Chat' });
  await item.first().waitFor();
  await item.first().getByRole('button').click();
  const thread = agent.page.getByTestId('agent-chat').first();
  await thread.locator('li[data-author="customer"]').filter({ hasText: 'where is my parcel' }).waitFor();
  // Plain text, shown as typed: no markup got through.
  assert.deepEqual(await bubbles(thread, 'customer'), ['Hello, where is my parcel? <b>urgent</b>']);

  // Agent → shopper, with a typing indicator first.
  await thread.getByTestId('agent-chat-input').pressSequentially('It ships', { delay: 20 });
  await page.getByTestId('agent-typing').filter({ hasText: 'An agent is typing' }).waitFor();
  await thread.getByTestId('agent-chat-input').fill('It ships today.');
  await thread.getByTestId('agent-chat-send').click();
  await page.locator('[data-testid="chat-log"] li[data-author="agent"]').filter({ hasText: 'It ships today.' }).waitFor();
  await shot(page, 'chat-phone');

  // The shopper types; the agent sees it.
  await page.getByTestId('chat-input').pressSequentially('Tha', { delay: 20 });
  await thread.getByTestId('customer-typing').filter({ hasText: 'The customer is typing' }).waitFor();
  await page.getByTestId('chat-input').fill('');

  // Unread badge: with the panel shut, a reply shows as a count on the Help button.
  await page.getByRole('button', { name: 'Close help' }).click();
  await thread.getByTestId('agent-chat-input').fill('Anything else I can do?');
  await thread.getByTestId('agent-chat-send').click();
  await page.getByTestId('chat-unread').filter({ hasText: '1' }).waitFor();
  await openHelp(page, 'chat');
  assert.equal(await page.getByTestId('chat-unread').count(), 0, 'reading the chat clears the badge');

  // The server dies mid-conversation. The shopper writes anyway; it waits on the device.
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  await customerSays(page, 'Are you still there?');
  await page.getByTestId('chat-pending').filter({ hasText: 'Waiting for the connection' }).waitFor();
  await start(addr);
  // Both sides reconnect by themselves; the waiting message is stored once.
  await thread.locator('li[data-author="customer"]').filter({ hasText: 'Are you still there?' }).waitFor({ timeout: 30000 });
  await waitFor(async () => (await page.getByTestId('chat-pending').count()) === 0, 'the message to be confirmed', 30000);

  // The shopper's connection drops (offline); the agent answers meanwhile. Back online,
  // the shopper gets the missed reply, and their own offline message goes once.
  await shopper.context.setOffline(true);
  await page.getByTestId('chat-availability').filter({ hasText: /offline|Connecting|agent/ }).waitFor();
  await thread.getByTestId('agent-chat-input').fill('Yes, still here.');
  await thread.getByTestId('agent-chat-send').click();
  await customerSays(page, 'Sorry, my train went into a tunnel.');
  await page.getByTestId('chat-pending').filter({ hasText: 'Waiting for the connection' }).waitFor();
  assert.equal(await page.locator('[data-testid="chat-log"] li[data-author="agent"]').filter({ hasText: 'Yes, still here.' }).count(), 0, 'offline, the reply has not arrived');
  await shopper.context.setOffline(false);
  await page.locator('[data-testid="chat-log"] li[data-author="agent"]').filter({ hasText: 'Yes, still here.' }).waitFor({ timeout: 30000 });
  await thread.locator('li[data-author="customer"]').filter({ hasText: 'train went into a tunnel' }).waitFor({ timeout: 30000 });

  // Neither side lost or doubled anything.
  const expectCustomer = ['Hello, where is my parcel? <b>urgent</b>', 'Are you still there?', 'Sorry, my train went into a tunnel.'];
  const expectAgent = ['It ships today.', 'Anything else I can do?', 'Yes, still here.'];
  await waitFor(async () => (await bubbles(page.getByTestId('chat-log'), 'customer')).length === 3, 'three shopper messages');
  assert.deepEqual(await bubbles(page.getByTestId('chat-log'), 'customer'), expectCustomer);
  assert.deepEqual(await bubbles(page.getByTestId('chat-log'), 'agent'), expectAgent);
  await agent.page.reload();
  await agent.page.getByTestId('queue-item').first().getByRole('button').click();
  const fresh = agent.page.getByTestId('agent-chat').first();
  await fresh.locator('li[data-author="customer"]').nth(2).waitFor();
  assert.deepEqual(await bubbles(fresh, 'customer'), expectCustomer);
  assert.deepEqual(await bubbles(fresh, 'agent'), expectAgent);

  // The agent leaves: the shopper is told honestly.
  await agent.context.close();
  await page.getByTestId('chat-availability').filter({ hasText: "We're away" }).waitFor();
  assert.deepEqual(shopper.problems, []);
  await shopper.context.close();
});

test('call-back booked → scheduled → done, and a message opened → answered → replied → closed, all on the single customer view', async () => {
  const customer = await newPage();
  const { page } = customer;
  const email = uniqueEmail('cleo');
  await signUp(page, email, 'Cleo Banks', base);

  // An order, so the customer view has one, and feedback about it.
  const product = (await (await fetch(`${base}/api/categories/books/products?per_page=100`)).json()).items.find((p) => p.stock >= 5);
  await page.goto(`${base}/p/${product.slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('status').filter({ hasText: 'Added to your cart' }).waitFor();
  await page.goto(base + '/checkout');
  await page.getByLabel('Full name').fill('Cleo Banks');
  await page.getByLabel('Street and number').fill('1 High Street');
  await page.getByLabel('Postcode').fill('AB1 2CD');
  await page.getByLabel('Town or city').fill('Leeds');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/A\d+/);
  const number = new URL(page.url()).pathname.split('/').pop();

  // Call me.
  await openHelp(page, 'call-me');
  await page.getByLabel('Phone number').fill('+44 20 7946 0000');
  await page.getByLabel('When suits you').selectOption('afternoon');
  await page.getByLabel('What is it about?').fill('Delivery to my office');
  await page.getByLabel('Order number').fill(number);
  await page.getByRole('button', { name: 'Call me back' }).click();
  const confirmation = page.getByTestId('callback-confirmation');
  await confirmation.waitFor();
  assert.match(await confirmation.textContent(), /We'll call you on \+44 20 7946 0000 (today|tomorrow|\w+day) between 12:00 and 17:00 UTC/);

  // Message us: FAQ answers are suggested while typing; the message is acknowledged at
  // once on screen and by e-mail.
  await openHelp(page, 'message');
  await page.getByLabel('Subject').fill('Returning a book');
  await page.getByLabel('Your message').fill('I would like to return one of the books, how do returns work?');
  await page.getByTestId('faq-suggestions').filter({ hasText: /return/i }).waitFor();
  await page.getByRole('button', { name: 'Send message' }).click();
  const ack = page.getByTestId('ticket-confirmation');
  await ack.waitFor();
  const ticketNumber = /T\d{6}/.exec(await ack.textContent())[0];
  await waitFor(() => mailTo(email, env.AISLE_MAIL_DIR).some((m) => m.includes(ticketNumber)), 'the acknowledgement e-mail');

  // A compliment.
  await openHelp(page, 'feedback');
  await page.getByLabel('Tell us').fill('Lovely quick checkout.');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await page.getByTestId('feedback-confirmation').waitFor();

  // The account lists the call-back as requested.
  await page.goto(base + '/account/support');
  await page.getByTestId('callback-status').filter({ hasText: 'Requested' }).waitFor();

  // The agent sees all of it on one screen.
  const agent = await agentConsole();
  const entry = agent.page.getByTestId('queue-item').filter({ hasText: 'Cleo Banks' }).filter({ hasText: 'Call-back' });
  await entry.getByRole('button').click();
  const view = agent.page.getByTestId('customer-view');
  await view.getByTestId('customer-name').filter({ hasText: 'Cleo Banks' }).waitFor();
  await view.getByTestId('customer-order').filter({ hasText: number }).waitFor();
  await view.getByTestId('agent-ticket').filter({ hasText: 'Returning a book' }).waitFor();
  await view.getByTestId('agent-callback').filter({ hasText: 'Delivery to my office' }).waitFor();
  assert.match(await view.getByTestId('customer-feedback').textContent(), /Lovely quick checkout/);
  assert.match(await view.getByTestId('customer-activity').textContent(), new RegExp(number));
  await shot(agent.page, 'agent-console');

  // Schedule the call, then complete it; the shopper's account follows.
  const callback = view.getByTestId('agent-callback').first();
  await callback.getByTestId('agent-callback-at').fill('2030-01-15T14:30');
  await callback.getByTestId('agent-callback-schedule').click();
  await view.getByTestId('agent-callback-status').filter({ hasText: 'Scheduled' }).waitFor();
  await page.reload();
  await page.getByTestId('callback-status').filter({ hasText: 'Scheduled' }).waitFor();
  assert.match(await page.getByTestId('my-callback').textContent(), /15 Jan 2030, 14:30 UTC/);
  await view.getByTestId('agent-callback').first().getByTestId('agent-callback-note').fill('Agreed to leave it at reception.');
  await view.getByTestId('agent-callback').first().getByTestId('agent-callback-done').click();
  await view.getByTestId('agent-callback-status').filter({ hasText: 'Done' }).waitFor();
  await page.reload();
  await page.getByTestId('callback-status').filter({ hasText: 'Done' }).waitFor();

  // Answer the message: the reply shows in the account and goes by e-mail.
  const ticket = view.getByTestId('agent-ticket').first();
  await ticket.getByTestId('agent-ticket-reply').fill('Request the return from your order page; we refund when it arrives.');
  await ticket.getByTestId('agent-ticket-send').click();
  await view.getByTestId('agent-ticket-status').filter({ hasText: 'Answered' }).waitFor();
  await waitFor(() => mailTo(email, env.AISLE_MAIL_DIR).some((m) => m.includes(`[${ticketNumber}]`) && m.includes('we refund when it arrives')), 'the reply e-mail');
  await page.getByRole('link', { name: new RegExp(`${ticketNumber} — Returning a book`) }).click();
  await page.getByTestId('ticket-status').filter({ hasText: 'Answered' }).waitFor();
  assert.match(await page.getByTestId('ticket-thread').textContent(), /we refund when it arrives/);

  // The customer answers in the same thread; it is open again for the agent.
  await page.getByLabel('Your reply').fill('Thank you, done.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.getByTestId('ticket-status').filter({ hasText: 'Open' }).waitFor();
  await view.getByTestId('agent-ticket-status').filter({ hasText: 'Open' }).waitFor();
  assert.match(await view.getByTestId('agent-ticket').first().textContent(), /Thank you, done\./);
  await view.getByTestId('agent-ticket').first().getByTestId('agent-ticket-close').click();
  await view.getByTestId('agent-ticket-status').filter({ hasText: 'Closed' }).waitFor();
  await page.reload();
  await page.getByTestId('ticket-status').filter({ hasText: 'Closed' }).waitFor();

  // Orders can be cancelled from the console, after the agent confirms.
  agent.page.once('dialog', (d) => { assert.match(d.message(), new RegExp(`Cancel order ${number}\\?`)); d.accept(); });
  await view.getByTestId('customer-order').filter({ hasText: number }).getByRole('button', { name: 'Cancel order' }).click();
  await view.getByTestId('customer-order').filter({ hasText: number }).filter({ hasText: 'Cancelled' }).waitFor();

  // Another shopper cannot open Cleo's thread.
  const other = await newPage();
  await signUp(other.page, uniqueEmail('dan'), 'Dan Other', base);
  const ticketId = new URL(page.url()).pathname.split('/').pop();
  await other.page.goto(`${base}/support/tickets/${ticketId}`);
  await other.page.getByRole('heading', { name: 'We could not find that message' }).waitFor();
  assert.equal(await other.page.getByText('Thank you, done.').count(), 0);

  assert.deepEqual(customer.problems, []);
  assert.deepEqual(agent.problems, []);
  await Promise.all([customer.context.close(), agent.context.close(), other.context.close()]);
});

test('the FAQ answers searches, takes votes, and reads offline', async () => {
  const { page, context, problems } = await newPage({ width: 390, height: 844 });
  await page.goto(base + '/help');
  await page.getByRole('heading', { level: 1, name: 'Help and answers' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Returns and refunds' }).waitFor();
  await page.getByTestId('help-search').fill('refund');
  await page.getByTestId('faq-list').locator('a').first().click();
  await page.getByTestId('help-article').waitFor();
  await page.getByRole('button', { name: 'Yes' }).click();
  await page.getByText('Thanks — glad it helped.').waitFor();

  // Offline, once the app and its FAQ are on the device.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await context.setOffline(true);
  await page.goto(base + '/help');
  await page.getByRole('heading', { level: 2, name: 'Delivery' }).waitFor();
  await openHelp(page, 'faq');
  await page.getByTestId('faq-search').fill('cancel');
  await page.getByTestId('faq-results').locator('summary').first().waitFor();
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});

test("out of hours a guest's chat asks where to answer before promising an e-mail; it and a call-back follow them into the account they create", async () => {
  const { page, context, problems } = await newPage();
  await page.goto(base + '/');
  await openHelp(page, 'chat');
  // Nobody is online (the agent left in the test before): the chat says so in words
  // that promise only what happens, and asks for the address first.
  await page.getByTestId('chat-availability').filter({ hasText: "We're away" }).waitFor();
  const form = page.getByTestId('chat-away-form');
  await form.waitFor();
  assert.equal(await page.getByTestId('chat-input').count(), 0, 'no chat box that nobody reads');
  await form.getByRole('button', { name: 'Send' }).click();
  await form.locator('.field-error').filter({ hasText: /./ }).first().waitFor();
  const guestEmail = uniqueEmail('gil-away');
  await form.getByLabel('Your name').fill('Gil Guest');
  await form.getByLabel('Your e-mail, for our answer').fill(guestEmail);
  await form.getByLabel('Your message').fill('Do you gift-wrap?');
  await form.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('chat-away-sent').filter({ hasText: guestEmail }).waitFor();
  await waitFor(() => mailTo(guestEmail, env.AISLE_MAIL_DIR).some((m) => m.includes('Do you gift-wrap?')), 'the acknowledgement e-mail');
  await openHelp(page, 'call-me');
  await page.getByLabel('Your name').fill('Gil Guest');
  await page.getByLabel('Phone number').fill('+44 20 7946 0999');
  await page.getByLabel('What is it about?').fill('Gift wrapping');
  await page.getByRole('button', { name: 'Call me back' }).click();
  await page.getByTestId('callback-confirmation').waitFor();

  await signUp(page, uniqueEmail('gil'), 'Gil Guest', base);
  await page.goto(base + '/account/support');
  await page.getByTestId('my-callback').filter({ hasText: 'Gift wrapping' }).waitFor();
  await page.getByTestId('my-ticket').filter({ hasText: 'Message from the chat' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
