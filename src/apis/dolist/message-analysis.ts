// Message analyzers and SMS simulations, as Dolist async operations (research part 2 §4.4 A1-A5):
// `POST .../analyzer/async` and `.../simulation/async` answer 201 with an operation; when its job
// is Done (operations.ts: queue delay, then its size at the operations rate) the result is the
// job's result and, for a stored message, its `LastAnalysis` / `LastSimulation`. Drafts persist
// nothing but the operation. The analyses are deterministic functions of the content; an SMS
// simulation counts the target's recipients as a send would evaluate them at that moment
// (`occurrenceAudience`), so its Units are exactly what a send then debits (recipients x segments).
import type { JobKind } from '../../core/jobs.js';
import type { Workspace } from '../../core/workspace.js';
import { hasStopMention, hasUnsubscribeLink, contentSize } from './message-checks.js';
import { anchorsOf, classifyLink } from './message-links.js';
import { messagesTable, smsSegmentsOf, type MessageRec } from './messages.js';
import { startOperation, type OperationView } from './operations.js';
import { occurrenceAudience } from './sending-engine.js';
import type { SendingRec } from './sendings.js';
import { targetContacts } from './target-eval.js';

export const MESSAGE_JOBS = {
  emailAnalyzer: 'dolist.email-analyzer',
  smsAnalyzer: 'dolist.sms-analyzer',
  smsSimulation: 'dolist.sms-simulation',
} as const;

/** Words that raise the spam-like score (each found once: +1). */
const SPAMMY = ['free', 'gratuit', 'urgent', 'winner', 'gagnant', 'cash', '100%', '!!!', '€€€', 'promo', 'click here', 'cliquez ici'];

export interface EmailDraft {
  Subject?: string | null;
  Html?: string | null;
  Text?: string | null;
}

/** A4, email: subject, text part, images, links, the unsubscribe link and a spam-like score (0-10). */
export function analyzeEmail(d: EmailDraft): Record<string, unknown> {
  const html = d.Html ?? '';
  const text = d.Text ?? '';
  const subject = d.Subject ?? '';
  const links = anchorsOf(html);
  const images = (html.match(/<img\b/gi) ?? []).length;
  const visibleText = html.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const hasUnsubscribe = hasUnsubscribeLink({ Links: links.map((l, i) => ({ LinkID: i, Url: l.url, Name: l.name, LinkType: classifyLink(l.url), IsTracked: true, InterestIDList: [] })), Content: { Html: html } });
  const haystack = `${subject} ${visibleText} ${text}`.toLowerCase();
  const warnings: string[] = [];
  let score = 0;
  for (const w of SPAMMY) if (haystack.includes(w)) score += 1;
  if (!subject.trim()) warnings.push('The subject is empty.');
  if (subject.length > 78) warnings.push('The subject is longer than 78 characters.');
  if (subject && subject === subject.toUpperCase() && /[A-Z]/.test(subject)) {
    warnings.push('The subject is in capitals.');
    score += 2;
  }
  if (!text.trim()) {
    warnings.push('The message has no text part.');
    score += 1;
  }
  if (!hasUnsubscribe) {
    warnings.push('The message has no unsubscribe link.');
    score += 3;
  }
  if (images > 0 && visibleText.length < 100 * images) {
    warnings.push('Little text for the number of images.');
    score += 1;
  }
  return {
    SubjectLength: subject.length,
    HasTextPart: Boolean(text.trim()),
    TextLength: visibleText.length,
    Size: contentSize({ Content: { Html: html, Text: text } }),
    ImageCount: images,
    LinkCount: links.length,
    HasUnsubscribeLink: hasUnsubscribe,
    SpamScore: Math.min(10, score),
    Warnings: warnings,
  };
}

/** A4, SMS: characters, encoding, segments, the STOP mention. */
export function analyzeSms(text: string): Record<string, unknown> {
  const seg = smsSegmentsOf({ Content: { Text: text } });
  return { CharacterCount: [...text].length, Encoding: seg.encoding, SegmentCount: text ? seg.segments : 0, PerSegment: seg.perSegment, HasStopMention: hasStopMention(text) };
}

/** A5: what a send of `text` to the target would use now. */
export function simulateSms(ws: Workspace, account: string, targetId: number, text: string): Record<string, unknown> {
  const probe = { account, Channel: 'sms', TargetID: targetId } as SendingRec;
  const { contacts, excluded } = occurrenceAudience(ws, probe);
  const seg = smsSegmentsOf({ Content: { Text: text } });
  const segments = text ? seg.segments : 0;
  return { TargetID: targetId, RecipientCount: contacts.length, ExcludedCount: excluded, Encoding: seg.encoding, SegmentCount: segments, Units: contacts.length * segments };
}

/** 404 [502] unless the target exists in the account (checked when the operation is asked for). */
export function assertTarget(ws: Workspace, account: string, targetId: number): number {
  return targetContacts(ws, account, targetId).length;
}

export function startEmailAnalyzer(ws: Workspace, account: string, draft: EmailDraft, messageId: number | null): OperationView {
  return startOperation(ws, account, MESSAGE_JOBS.emailAnalyzer, messageId === null ? 'EmailDraftAnalyzer' : 'EmailAnalyzer', 1, { draft, messageId });
}

export function startSmsAnalyzer(ws: Workspace, account: string, text: string, messageId: number | null): OperationView {
  return startOperation(ws, account, MESSAGE_JOBS.smsAnalyzer, messageId === null ? 'SmsDraftAnalyzer' : 'SmsAnalyzer', 1, { text, messageId });
}

export function startSmsSimulation(ws: Workspace, account: string, targetId: number, text: string, messageId: number | null): OperationView {
  const size = assertTarget(ws, account, targetId);
  return startOperation(ws, account, MESSAGE_JOBS.smsSimulation, messageId === null ? 'SmsDraftSimulation' : 'SmsSimulation', Math.max(1, size), { targetId, text, messageId });
}

/** Writes a Done operation's result on its message (when it still exists). */
function landOn(ws: Workspace, messageId: unknown, account: string, field: 'LastAnalysis' | 'LastSimulation', operationId: number, result: Record<string, unknown>): void {
  if (typeof messageId !== 'number') return;
  const m = messagesTable(ws).get(String(messageId)) as MessageRec | undefined;
  if (!m || m.account !== account) return;
  m[field] = { OperationID: operationId, Date: new Date(ws.now()).toISOString(), Result: result };
  messagesTable(ws).put(m);
}

/** The job kinds of the messages area (ApiModule.jobKinds). */
export const messageJobKinds: Record<string, JobKind> = {
  [MESSAGE_JOBS.emailAnalyzer]: {
    run(ws, job) {
      const result = analyzeEmail(job.input.draft as EmailDraft);
      landOn(ws, job.input.messageId, String(job.input.account), 'LastAnalysis', Number(job.ref), result);
      return result;
    },
  },
  [MESSAGE_JOBS.smsAnalyzer]: {
    run(ws, job) {
      const result = analyzeSms(String(job.input.text ?? ''));
      landOn(ws, job.input.messageId, String(job.input.account), 'LastAnalysis', Number(job.ref), result);
      return result;
    },
  },
  [MESSAGE_JOBS.smsSimulation]: {
    run(ws, job) {
      const result = simulateSms(ws, String(job.input.account), Number(job.input.targetId), String(job.input.text ?? ''));
      landOn(ws, job.input.messageId, String(job.input.account), 'LastSimulation', Number(job.ref), result);
      return result;
    },
  },
};
