// Async operations (`.../count/async`, `.../contacts/async`, `.../unsubscribe/async`, analyzers
// ...): the reference answers 201 and has no route to poll them. Each is a core job with the
// Dolist operation ID as its `ref`: it waits `operations.queueMs`, runs at `operations.rate`
// contacts per second of virtual time, and its JobKind's run() lands the effect (a count on the
// target, unsubscribed contacts ...) when it ends. The control API shows it at
// `/_sim/workspaces/{ws}/operations/{ID}?api=dolist`.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import { createJob, type Job } from '../../core/jobs.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, dolistFixtures, ID_START } from './style.js';

export type OperationStatus = 'Pending' | 'Running' | 'Done' | 'Error';

export interface OperationView {
  ID: number;
  Type: string;
  Status: OperationStatus;
  CreateDate: string;
  EndDate?: string | null;
}

const STATUS: Record<Job['status'], OperationStatus> = { queued: 'Pending', running: 'Running', succeeded: 'Done', failed: 'Error', canceled: 'Error' };

/** The descriptor of an operation's job. */
export function operationView(job: Job): OperationView {
  return {
    ID: Number(job.ref),
    Type: String(job.input.type),
    Status: STATUS[job.status],
    CreateDate: new Date(job.createdAt).toISOString(),
    EndDate: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
  };
}

/**
 * Starts an operation: `kind` is the JobKind (registered by the module) whose run() applies the
 * effect, `type` the name clients see, `total` its size in contacts (sets its duration).
 */
export function startOperation(ws: Workspace, account: string, kind: string, type: string, total: number, input: Record<string, unknown> = {}): OperationView {
  const { queueMs, rate } = dolistFixtures(ws).operations;
  const ref = nextInSequence(ws, sequenceKey(API_ID, 'operations'), ID_START.operations);
  const job = createJob(ws, { api: API_ID, kind, total, rate, queueMs, ref, input: { ...input, type, account } });
  return operationView(job);
}
