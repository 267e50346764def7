// The structured log of a running app: one JSON line per request (a scenario fault at warn) and
// one per simulated event, after the request, committed events only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createLogger } from '../src/core/log.js';

const dir = mkdtempSync(join(tmpdir(), 'commsim-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SYN = '/syniverse/scg-external-api/api/v1/messaging/message_requests';

it('logs requests with their ids, scenario faults at warn, and the events after them', async () => {
  const file = join(dir, 'log.jsonl');
  const logger = await createLogger({ level: 'info', format: 'json', destination: file });
  const app = await buildApp({ dataDir: null, logger });
  try {
    const ws = await (await app.app.request('/_sim/workspaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'out', scenario: 'carrier-outage' }) })).json();
    const send = () =>
      app.app.request(SYN, {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.credentials.syniverse.token}`, 'content-type': 'application/json', 'x-request-id': `t-${Math.random().toString(36).slice(2)}` },
        body: JSON.stringify({ from: 'sender_id:sender-default-longcode', to: ['+15551234567'], body: 'x' }),
      });
    const faulted = await send();
    expect(faulted.status).toBe(503);
    await send();
    const ok = await send();
    expect(ok.status).toBe(200);
    await new Promise((r) => setImmediate(r)); // events are logged after the request
    // The destination writes asynchronously: wait for the last request's line and its events.
    const okId = ok.headers.get('x-request-id')!;
    await expect.poll(() => (logger.flush(), readFileSync(file, 'utf8')), { timeout: 10_000 }).toMatch(new RegExp(`${okId}[\\s\\S]*"event"`));
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const fault = lines.find((l) => l.reqId === faulted.headers.get('x-request-id'));
    expect(fault).toMatchObject({ level: 40, workspace: 'out', api: 'syniverse', operationId: 'createMessageRequest', method: 'POST', path: SYN, status: 503, fault: 'Service temporarily unavailable' });
    expect(lines.find((l) => l.reqId === ok.headers.get('x-request-id'))).toMatchObject({ level: 30, status: 200, durationMs: expect.any(Number) });
    // The refused requests made no events; the accepted one did, logged after its request line.
    const events = lines.filter((l) => l.event);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((l) => l.workspace === 'out' && l.at === '2026-01-05T09:00:00.000Z')).toBe(true);
    expect(lines.indexOf(events[0])).toBeGreaterThan(lines.findIndex((l) => l.reqId === ok.headers.get('x-request-id')));
    expect(events.map((l) => l.eventId)).toEqual([...events.map((l) => l.eventId)].sort((a, b) => a - b));
  } finally {
    await app.runtime.shutdown();
  }
});
