// The dashboard and the API docs in a real browser: Debian's chromium driven by playwright-core
// (no browser download). The server runs in this process on a free port; the workspace has a
// manual clock, so what the page shows follows only from what the test does.
import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const DOCS_SHOT = fileURLToPath(new URL('../docs/dashboard.png', import.meta.url));
const SYN = '/syniverse/scg-external-api/api/v1';

let app: App;
let server: ReturnType<typeof serve>;
let base: string;
let browser: Browser;
let page: Page;
let token: string;

beforeAll(async () => {
  // Not a skip: a machine without chromium cannot check the dashboard, and must say so.
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  app = await buildApp({ dataDir: null, strict: true });
  server = await new Promise<ReturnType<typeof serve>>((ok) => {
    const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ws = await (
    await fetch(`${base}/_sim/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'demo', seed: 7, clock: { mode: 'manual', now: '2026-01-05T12:00:00Z' } }),
    })
  ).json();
  token = ws.credentials.syniverse.token;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await app?.runtime.shutdown();
});

describe('dashboard', () => {
  it('shows requests and events live, moves the clock, injects an MO', async () => {
    await page.goto(`${base}/_sim/dashboard?workspace=demo`);
    await page.locator('.dot.on').waitFor(); // the event stream is connected
    await expect.poll(() => page.getByTestId('clock-now').textContent()).toBe('2026-01-05T12:00:00.000Z');

    // An API request from outside the page appears on it.
    const res = await fetch(`${base}${SYN}/messaging/message_requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'Hello from the test' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^req-/);
    const request = page.getByTestId('item-request').filter({ hasText: 'POST /syniverse/scg-external-api/api/v1/messaging/message_requests' });
    await request.waitFor();
    // Expanded, it shows the bodies.
    await request.locator('summary').click();
    await request.getByText('Hello from the test').waitFor();

    // The message's record, CREATED; +10 s on the clock and it is DELIVERED.
    await page.getByTestId('collection-messages').click();
    const row = page.getByTestId('records').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('CREATED');
    await page.getByRole('button', { name: '+10 s' }).click();
    await expect.poll(() => page.getByTestId('clock-now').textContent()).toBe('2026-01-05T12:00:10.000Z');
    await expect.poll(() => row.textContent()).toContain('DELIVERED');
    await page.getByTestId('item-event').filter({ hasText: 'message_state_change DELIVERED' }).first().waitFor();

    // The outside world answers: an MO from the form.
    // Every registered injector has a form; the MO's is shown first.
    const kinds = await page.getByTestId('inject-kind').locator('option').allTextContents();
    expect(kinds).toEqual(app.runtime.injectKinds());
    expect(await page.getByTestId('inject-kind').inputValue()).toBe('mo-message');
    const form = page.getByTestId('inject-mo-message');
    await form.locator('select[name=api]').selectOption('syniverse');
    await form.locator('input[name=from]').fill('+15551234567');
    await form.locator('input[name=to]').fill('+15550100001');
    await form.locator('input[name=body]').fill('HELP');
    await form.getByRole('button', { name: /Inject/ }).click();
    await page.getByTestId('inject-result-mo-message').filter({ hasText: '"direction":"MO"' }).waitFor();
    await page.getByTestId('item-event').filter({ hasText: 'mo_message_received' }).first().waitFor();
    await expect.poll(() => page.getByTestId('credit-syniverse').textContent()).toMatch(/\d/);
    // The MO is a record of the messages collection too (the panel reads it again after events).
    await expect.poll(() => page.getByTestId('records').locator('tbody tr').filter({ hasText: 'MO' }).count()).toBe(1);

    await page.screenshot({ path: `${SHOTS}dashboard.png`, fullPage: true });
    // The README's picture: refreshed on demand, not by every run (the tree stays clean).
    if (process.env.COMMSIM_UPDATE_SCREENSHOTS) copyFileSync(`${SHOTS}dashboard.png`, DOCS_SHOT);

    // A record opens to its whole JSON.
    await page.getByTestId('records').locator('tr.record').filter({ hasText: 'HELP' }).click();
    await page.getByTestId('records').locator('tr.record-json').getByText('"direction": "MO"').waitFor();

    // A new workspace with a scenario, from the header; the page switches to it.
    const create = page.getByTestId('new-workspace');
    await create.locator('input[name=id]').fill('demo-outage');
    await create.locator('select[name=scenario]').selectOption('carrier-outage');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('scenario').filter({ hasText: 'scenario: carrier-outage' }).waitFor();
    expect(await page.getByTestId('workspace').inputValue()).toBe('demo-outage');
    await page.getByTestId('timeline').locator('.dot.on').waitFor();
  });

  it('renders the interactive docs of each API with the workspace credentials', async () => {
    for (const mod of app.modules) {
      await page.goto(`${base}/_sim/docs/${mod.id}?workspace=demo`);
      // Every operation of the spec the router serves is on the page (rendered as it scrolls).
      await page.locator('.opblock').first().waitFor();
      const operations = () => page.evaluate('ui.specSelectors.operations().size');
      await expect.poll(operations).toBe(app.specs.get(mod.id)!.operations.length);
      await page.getByText(/credentials of workspace demo filled in/).waitFor();
      await page.screenshot({ path: `${SHOTS}docs-${mod.id}.png` });
    }
    // "Try it out" reaches the simulator with the workspace's credentials.
    await page.goto(`${base}/_sim/docs/syniverse?workspace=demo`);
    await page.getByText(/credentials of workspace demo filled in/).waitFor();
    const op = page.locator('.opblock').filter({ hasText: '/messaging/sender_id_classes' }).first();
    await op.locator('.opblock-summary').click();
    await op.getByRole('button', { name: 'Execute' }).click();
    await op.locator('.live-responses-table .response-col_status').filter({ hasText: '200' }).waitFor();
    const journal = await (await fetch(`${base}/_sim/workspaces/demo/journal`)).json();
    expect(journal.entries.at(-1)).toMatchObject({ method: 'GET', operationId: expect.any(String), status: 200 });
  });
});
