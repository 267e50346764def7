// Async jobs (imports, exports, counts, analyzers) of every API. A job waits in the queue, runs
// for a duration set by its size and rate on the workspace clock, and finishes with a result or
// an error. Progress is derived from the clock when read, so polling sees it grow.
import { isSimError } from './errors.js';
import { decide } from './outcomes.js';
import type { Workspace } from './workspace.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface Job {
  id: string;
  api: string;
  kind: string;
  status: JobStatus;
  /** Work units (rows, contacts, ...). */
  total: number;
  /** Units per second of virtual time. */
  rate: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Kind-specific input (ids, filters, ...). */
  input: Record<string, unknown>;
  result: unknown;
  error: string | null;
  /** Run time fixed by a scenario rule (else total / rate). */
  runMs?: number;
  /** A scenario rule fails the job at the end of its run with this error. */
  failWith?: string | null;
  /** The vendor's own id of the operation. */
  ref?: string | number;
  [key: string]: unknown;
}

export interface JobView {
  id: string;
  api: string;
  kind: string;
  status: JobStatus;
  progress: number;
  done: number;
  total: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: unknown;
  error: string | null;
  /** The vendor's id of the operation, when it has one. */
  ref?: string | number;
}

/** What an API provides for one kind of job. */
export interface JobKind {
  /** Called when the job leaves the queue. */
  onStart?(ws: Workspace, job: Job): void;
  /** Does the work at the end of the run and returns the result; a thrown SimError fails the job. */
  run(ws: Workspace, job: Job): unknown;
  /** Called after the job succeeded, failed or was canceled. */
  onEnd?(ws: Workspace, job: Job): void;
}

export interface NewJob {
  api: string;
  kind: string;
  total: number;
  input?: Record<string, unknown>;
  /** Units per second (default 100). */
  rate?: number;
  /** Time in the queue before running, ms (default 1000). */
  queueMs?: number;
  /** The vendor's own id of this operation (Dolist's integer OperationID), shown and looked up beside the job id. */
  ref?: string | number;
}

export const JOB_START = 'core.job.start';
export const JOB_FINISH = 'core.job.finish';

const TABLE = '_jobs';

/** How a job will run: the scenario hook `job` (outcome {queueMs?, durationMs?, fail?}), else its size and rate. */
interface JobPlan {
  queueMs: number;
  runMs?: number;
  failWith: string | null;
}

function jobPlan(ws: Workspace, spec: NewJob): JobPlan {
  const queueMs = spec.queueMs ?? 1000;
  return decide<JobPlan>(ws, { on: 'job', api: spec.api, facts: { kind: spec.kind, total: spec.total } }, '', {
    scenario: (f) => ({
      queueMs: typeof f.queueMs === 'number' ? f.queueMs : queueMs,
      runMs: typeof f.durationMs === 'number' ? f.durationMs : undefined,
      failWith: f.fail === true || String(f.status ?? '').toLowerCase() === 'failed' ? String(f.error ?? 'failed (scenario)') : typeof f.fail === 'string' ? f.fail : null,
    }),
    otherwise: () => ({ queueMs, failWith: null }),
  });
}

export function createJob(ws: Workspace, spec: NewJob): Job {
  const now = ws.now();
  const plan = jobPlan(ws, spec);
  const job: Job = {
    id: `job_${ws.rng.base64url(16)}`,
    api: spec.api,
    kind: spec.kind,
    status: 'queued',
    total: Math.max(0, Math.floor(spec.total)),
    rate: spec.rate && spec.rate > 0 ? spec.rate : 100,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    input: spec.input ?? {},
    result: null,
    error: null,
  };
  if (spec.ref !== undefined) job.ref = spec.ref;
  if (plan.runMs !== undefined) job.runMs = plan.runMs;
  if (plan.failWith) job.failWith = plan.failWith;
  ws.doc.table<Job>(TABLE).put(job);
  ws.schedule(JOB_START, now + plan.queueMs, { job: job.id });
  return job;
}

/** A job by its id, or by the vendor's id of the operation (`ref`) within `api` when given. */
export function getJob(ws: Workspace, id: string, api?: string): Job | undefined {
  const t = ws.doc.table<Job>(TABLE);
  return t.get(id) ?? t.all().find((j) => j.ref !== undefined && String(j.ref) === id && (api === undefined || j.api === api));
}

export function listJobs(ws: Workspace): Job[] {
  return ws.doc.table<Job>(TABLE).all();
}

function durationMs(job: Job): number {
  return typeof job.runMs === 'number' ? job.runMs : Math.ceil((job.total / job.rate) * 1000);
}

/** Units done after `elapsed` ms of running. */
function doneAfter(job: Job, elapsed: number): number {
  const run = durationMs(job);
  const done = typeof job.runMs === 'number' ? (run <= 0 ? job.total : Math.floor((elapsed / run) * job.total)) : Math.floor((elapsed / 1000) * job.rate);
  return Math.max(0, Math.min(job.total, done));
}

/** Units done at time `now`. */
export function jobDone(job: Job, now: number): number {
  if (job.status === 'succeeded') return job.total;
  if (job.status !== 'running' || job.startedAt === null) return job.status === 'queued' ? 0 : jobDoneAtEnd(job);
  return doneAfter(job, now - job.startedAt);
}

function jobDoneAtEnd(job: Job): number {
  if (job.startedAt === null || job.finishedAt === null) return 0;
  return doneAfter(job, job.finishedAt - job.startedAt);
}

export function jobView(job: Job, now: number): JobView {
  const done = jobDone(job, now);
  const progress =
    job.status === 'succeeded' ? 100 : job.total === 0 ? 0 : Math.min(99, Math.floor((done / job.total) * 100));
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: job.id,
    api: job.api,
    kind: job.kind,
    status: job.status,
    progress,
    done,
    total: job.total,
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    result: job.result,
    error: job.error,
    ...(job.ref !== undefined ? { ref: job.ref } : {}),
  };
}

/** Stops a queued or running job; finished jobs are left as they are. */
export function cancelJob(ws: Workspace, id: string): Job | undefined {
  const job = getJob(ws, id);
  if (!job || (job.status !== 'queued' && job.status !== 'running')) return job;
  job.status = 'canceled';
  job.finishedAt = ws.now();
  ws.doc.table<Job>(TABLE).touch(job);
  ws.runtime.jobKind(job.kind)?.onEnd?.(ws, job);
  return job;
}

export function deleteJob(ws: Workspace, id: string): boolean {
  cancelJob(ws, id);
  return ws.doc.table<Job>(TABLE).remove(id);
}

/** Scheduler handlers for job transitions. */
export const jobEventHandlers = {
  [JOB_START](ws: Workspace, data: Record<string, unknown>): void {
    const job = getJob(ws, String(data.job));
    if (!job || job.status !== 'queued') return;
    job.status = 'running';
    job.startedAt = ws.now();
    ws.doc.table<Job>(TABLE).touch(job);
    ws.runtime.jobKind(job.kind)?.onStart?.(ws, job);
    ws.schedule(JOB_FINISH, job.startedAt + durationMs(job), { job: job.id });
  },
  [JOB_FINISH](ws: Workspace, data: Record<string, unknown>): void {
    const job = getJob(ws, String(data.job));
    if (!job || job.status !== 'running') return;
    const kind = ws.runtime.jobKind(job.kind);
    try {
      if (job.failWith) throw new Error(job.failWith);
      job.result = kind ? kind.run(ws, job) ?? null : null;
      job.status = 'succeeded';
    } catch (e) {
      job.status = 'failed';
      job.error = isSimError(e) || (e instanceof Error && e.message === job.failWith) ? (e as Error).message : String(e);
    }
    job.finishedAt = ws.now();
    ws.doc.table<Job>(TABLE).touch(job);
    kind?.onEnd?.(ws, job);
  },
};
