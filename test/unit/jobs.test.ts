import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invalid } from '../../src/core/errors.js';
import { cancelJob, createJob, deleteJob, getJob, jobDone, jobView, listJobs, JOB_FINISH, JOB_START, type Job, type JobKind } from '../../src/core/jobs.js';
import type { Runtime } from '../../src/core/runtime.js';
import type { Workspace } from '../../src/core/workspace.js';
import { fakeModule, manualWorkspace, startRuntime, T0 } from './support.js';

const calls: string[] = [];
const kinds: Record<string, JobKind> = {
  count: {
    onStart: (ws, job) => calls.push(`start ${job.id} @${ws.now() - T0}`),
    run: (ws, job) => {
      calls.push(`run @${ws.now() - T0}`);
      return { counted: job.total, input: job.input };
    },
    onEnd: (ws, job) => calls.push(`end ${job.status} @${ws.now() - T0}`),
  },
  failing: {
    run: () => {
      throw invalid('the file has no header row');
    },
    onEnd: (_ws, job) => calls.push(`end ${job.status}`),
  },
  crashing: {
    run: () => {
      throw new TypeError('oops');
    },
  },
  silent: { run: () => undefined },
};

let rt: Runtime;
let ws: Workspace;
beforeEach(async () => {
  calls.length = 0;
  rt = await startRuntime((r) => [fakeModule(r, { jobKinds: kinds })]);
  ws = await manualWorkspace(rt, 'jobs');
});
afterEach(() => rt.shutdown());

const view = (id: string) => jobView(getJob(ws, id)!, ws.now());

describe('jobs', () => {
  it('queue, run over virtual time with growing progress, then succeed', () => {
    const job = createJob(ws, { api: 'fake', kind: 'count', total: 250, rate: 50, input: { file: 'a.csv' } });
    expect(job.id).toMatch(/^job_[A-Za-z0-9_-]{16}$/);
    expect(view(job.id)).toMatchObject({ status: 'queued', progress: 0, done: 0, total: 250, createdAt: '2026-01-05T12:00:00.000Z', startedAt: null, finishedAt: null });
    ws.advance(T0 + 999);
    expect(getJob(ws, job.id)!.status).toBe('queued');
    ws.advance(T0 + 1000); // default queue time: 1 s
    expect(view(job.id)).toMatchObject({ status: 'running', progress: 0, done: 0, startedAt: '2026-01-05T12:00:01.000Z' });
    expect(calls).toEqual([`start ${job.id} @1000`]);
    ws.advance(T0 + 1000 + 2500); // 2.5 s at 50/s = 125 of 250
    expect(view(job.id)).toMatchObject({ status: 'running', done: 125, progress: 50 });
    ws.advance(T0 + 1000 + 4999);
    expect(view(job.id)).toMatchObject({ status: 'running', done: 249, progress: 99 });
    ws.advance(T0 + 1000 + 5000); // 250 / 50 = 5 s of running
    expect(view(job.id)).toMatchObject({
      status: 'succeeded',
      progress: 100,
      done: 250,
      finishedAt: '2026-01-05T12:00:06.000Z',
      result: { counted: 250, input: { file: 'a.csv' } },
      error: null,
    });
    expect(calls.slice(1)).toEqual(['run @6000', 'end succeeded @6000']);
    expect(listJobs(ws).map((j) => j.id)).toEqual([job.id]);
  });

  it('defaults: rate 100/s, 1 s in the queue; total floored at 0; custom queue time', () => {
    const a = createJob(ws, { api: 'fake', kind: 'silent', total: 99.9 });
    expect(a).toMatchObject({ total: 99, rate: 100, input: {}, result: null });
    const b = createJob(ws, { api: 'fake', kind: 'silent', total: -5, rate: -1, queueMs: 0 });
    expect(b).toMatchObject({ total: 0, rate: 100 });
    ws.advance(T0);
    expect(view(b.id)).toMatchObject({ status: 'succeeded', progress: 100, done: 0, result: null });
    ws.advance(T0 + 1000);
    expect(view(a.id).status).toBe('running');
    ws.advance(T0 + 1000 + 990);
    expect(view(a.id)).toMatchObject({ status: 'succeeded', result: null });
  });

  it('a job of zero units shows 0 % while running', () => {
    const j: Job = { ...createJob(ws, { api: 'fake', kind: 'silent', total: 0 }), status: 'running', startedAt: T0 };
    expect(jobView(j, T0 + 10)).toMatchObject({ progress: 0, done: 0 });
  });

  it('a thrown SimError fails the job with its message; another error with its text', () => {
    const a = createJob(ws, { api: 'fake', kind: 'failing', total: 10 });
    const b = createJob(ws, { api: 'fake', kind: 'crashing', total: 10 });
    ws.advance(T0 + 60_000);
    expect(view(a.id)).toMatchObject({ status: 'failed', error: 'the file has no header row', result: null });
    expect(view(b.id)).toMatchObject({ status: 'failed', error: 'TypeError: oops' });
    // A failed job counts what it had done by the end (all of its 10 units at 100/s took 100 ms).
    expect(view(a.id).done).toBe(10);
    expect(view(a.id).progress).toBe(99);
    expect(calls).toEqual(['end failed']);
  });

  it('an unknown job kind finishes with no result', () => {
    const j = createJob(ws, { api: 'fake', kind: 'nobody', total: 1 });
    ws.advance(T0 + 5000);
    expect(view(j.id)).toMatchObject({ status: 'succeeded', result: null });
  });

  it('cancels a queued job: it never starts', () => {
    const j = createJob(ws, { api: 'fake', kind: 'count', total: 100 });
    ws.advance(T0 + 500);
    expect(cancelJob(ws, j.id)!.status).toBe('canceled');
    expect(calls).toEqual(['end canceled @500']);
    ws.advance(T0 + 60_000);
    expect(view(j.id)).toMatchObject({ status: 'canceled', done: 0, startedAt: null, finishedAt: '2026-01-05T12:00:00.500Z' });
    expect(calls).toHaveLength(1);
  });

  it('cancels a running job: it keeps what was done and never finishes', () => {
    const j = createJob(ws, { api: 'fake', kind: 'count', total: 1000, rate: 100 });
    ws.advance(T0 + 1000 + 2345);
    cancelJob(ws, j.id);
    ws.advance(T0 + 60_000);
    expect(view(j.id)).toMatchObject({ status: 'canceled', done: 234, progress: 23 });
    expect(calls.filter((c) => c.startsWith('run'))).toEqual([]);
  });

  it('leaves finished jobs alone on cancel, and answers undefined for unknown ids', () => {
    const j = createJob(ws, { api: 'fake', kind: 'silent', total: 1 });
    ws.advance(T0 + 5000);
    expect(cancelJob(ws, j.id)!.status).toBe('succeeded');
    expect(cancelJob(ws, 'job_nope')).toBeUndefined();
  });

  it('deletes a job (cancelling it first)', () => {
    const j = createJob(ws, { api: 'fake', kind: 'count', total: 10 });
    expect(deleteJob(ws, j.id)).toBe(true);
    expect(calls).toEqual(['end canceled @0']);
    expect(getJob(ws, j.id)).toBeUndefined();
    expect(deleteJob(ws, j.id)).toBe(false);
    ws.advance(T0 + 5000); // its start event finds nothing
    expect(calls).toHaveLength(1);
  });

  it('a job created in a rolled-back transaction never exists nor runs', () => {
    expect(() =>
      ws.transaction(() => {
        createJob(ws, { api: 'fake', kind: 'count', total: 10 });
        throw new Error('request failed');
      }),
    ).toThrow();
    expect(listJobs(ws)).toEqual([]);
    expect(ws.scheduler.size).toBe(0);
    ws.advance(T0 + 10_000);
    expect(calls).toEqual([]);
  });

  it('start and finish handlers ignore jobs in the wrong state', () => {
    const j = createJob(ws, { api: 'fake', kind: 'count', total: 10 });
    const start = rt.eventHandler(JOB_START)!;
    const finish = rt.eventHandler(JOB_FINISH)!;
    finish(ws, { job: j.id }); // still queued
    expect(getJob(ws, j.id)!.status).toBe('queued');
    start(ws, { job: j.id });
    start(ws, { job: j.id }); // already running
    expect(calls).toEqual([`start ${j.id} @0`]);
    start(ws, { job: 'job_gone' });
    finish(ws, { job: 'job_gone' });
  });

  it('jobDone clamps to the total and to 0', () => {
    const base = createJob(ws, { api: 'fake', kind: 'silent', total: 50, rate: 10 });
    expect(jobDone({ ...base, status: 'running', startedAt: T0 }, T0 - 1000)).toBe(0);
    expect(jobDone({ ...base, status: 'running', startedAt: T0 }, T0 + 999_000)).toBe(50);
    expect(jobDone({ ...base, status: 'running', startedAt: null }, T0)).toBe(0);
    expect(jobDone({ ...base, status: 'failed', startedAt: T0, finishedAt: T0 + 100_000 }, T0)).toBe(50);
    expect(jobDone({ ...base, status: 'canceled', startedAt: null, finishedAt: T0 }, T0)).toBe(0);
  });
});

describe('jobs and the scenario hook `job`', () => {
  it('a rule fixes the queue time and the run time (drawn), and can fail the job; other jobs keep their size and rate', async () => {
    const sws = await manualWorkspace(rt, 'jobs-sc', {
      scenario: {
        rules: [
          { on: 'job', match: { kind: 'count', total: { min: 100 } }, outcome: { queueMs: 0, durationMs: { min: 4000, max: 4000 } } },
          { on: 'job', match: { kind: 'silent' }, outcome: { durationMs: 2000, fail: 'Malformed row 3 (scenario)' } },
        ],
      },
    });
    const big = createJob(sws, { api: 'fake', kind: 'count', total: 500, rate: 1 });
    const small = createJob(sws, { api: 'fake', kind: 'count', total: 10, rate: 10 });
    const doomed = createJob(sws, { api: 'fake', kind: 'silent', total: 1 });
    const v = (id: string) => jobView(getJob(sws, id)!, sws.now());
    sws.advance(T0); // queueMs 0: running at once
    expect(v(big.id)).toMatchObject({ status: 'running', done: 0 });
    sws.advance(T0 + 2000);
    expect(v(big.id)).toMatchObject({ status: 'running', done: 250, progress: 50 }); // progress on the fixed run time
    expect(v(small.id)).toMatchObject({ status: 'succeeded', finishedAt: '2026-01-05T12:00:02.000Z' }); // no rule: 1 s queue + 1 s of work
    sws.advance(T0 + 4000);
    expect(v(big.id)).toMatchObject({ status: 'succeeded', finishedAt: '2026-01-05T12:00:04.000Z', result: { counted: 500 } });
    expect(v(doomed.id)).toMatchObject({ status: 'failed', error: 'Malformed row 3 (scenario)', finishedAt: '2026-01-05T12:00:03.000Z' });
  });
});
