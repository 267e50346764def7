// Inbound (MO) messages: an end user's reply reaches the sender id it is addressed to (an address,
// a sender id, or a sender reference `sender_id:<id>` / `channel:<id>`), is linked to the latest
// MT that sender sent them, and may match a keyword: consent changes for senders whose consent SCG
// manages, and the keyword's reply template sent back through the normal message flow.
import { invalid, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { SynCollections } from './collections.js';
import { matchKeyword, scgRecordsConsent } from './keywords.js';
import { EMPTY_TALLY, parseFrom } from './message-flow.js';
import type { RecipientDirectory } from './messaging.js';
import { addressKind, normalizeMdn } from './numbers.js';
import { API_ID } from './style.js';

/** Sends `text` from `from` to `to` through the message flow; the messages it made. */
export type Reply = (from: string, to: string, text: string) => Rec[];

/**
 * An end user's reply `{from, to, body}` to one of the workspace's sender addresses: the MO
 * message, linked to the latest MT from that sender, its keyword's consent change and reply.
 */
export function receiveMo(ws: Workspace, c: SynCollections, directory: RecipientDirectory, input: Record<string, unknown>, reply: Reply): Rec {
  const fromRaw = String(input.from ?? '').trim();
  const toRaw = String(input.to ?? '').trim();
  if (!fromRaw || !toRaw) throw invalid(`mo-message needs "from" (the end user) and "to" (a sender address or sender id)`);
  const text = input.body === undefined || input.body === null ? '' : String(input.body);
  const from = normalizeMdn(fromRaw) ?? fromRaw;
  const toNorm = normalizeMdn(toRaw) ?? toRaw;
  const sender = moTarget(ws, c, toRaw, toNorm, from);
  // The latest MT to this address from this sender (records are in creation order).
  const latest = c.messages
    .table(ws)
    .lookup('to_address', from)
    .filter((m) => m.direction === 'MT' && m.customer_sender_id === sender.id)
    .pop();
  const msg = c.messages.insert(ws, {
    direction: 'MO',
    state: 'RECEIVED',
    customer_sender_id: sender.id,
    from_address: from,
    to_address: sender.address ?? toRaw,
    body: text,
    type: addressKind(from) === 'EMAIL' ? 'EMAIL' : 'SMS',
    reply_to: latest?.id ?? null,
    conversation_id: latest?.conversation_id ?? null,
    campaign_id: latest?.campaign_id ?? null,
    price: 0,
    _tally: EMPTY_TALLY,
  });
  // K3: RESERVED first, then sender-specific, then generic; whole body or first word.
  const keyword = matchKeyword(c.keywords.table(ws).scan(), sender.id, text, ws.now());
  ws.emit(API_ID, 'mo_message_received', {
    message_id: msg.id,
    from_address: from,
    to_address: msg.to_address,
    body: text,
    sender_id: sender.id,
    reply_to: msg.reply_to,
    keyword: keyword?.name ?? null,
  });
  if (keyword) applyKeyword(ws, c, directory, keyword, sender, msg, reply);
  return msg;
}

/**
 * The sender id an MO is addressed to: a sender reference as the API accepts them in `from`
 * (`sender_id:<id>`, `channel:<id>`, also with `-`), a sender id, or a sender address. A channel
 * gives the member that last sent to this end user, else its first member.
 */
function moTarget(ws: Workspace, c: SynCollections, toRaw: string, toNorm: string, from: string): Rec {
  const ref = parseFrom(toRaw);
  if (ref.kind === 'sender_id') {
    const s = c.senderIds.lookup(ws, ref.id);
    if (!s) throw notFound(`sender id ${ref.id} does not exist in workspace ${ws.id}`);
    return s;
  }
  if (ref.kind === 'channel') {
    const ch = c.channels.lookup(ws, ref.id);
    if (!ch) throw notFound(`channel ${ref.id} does not exist in workspace ${ws.id}`);
    const members = ((ch._sender_ids as string[] | undefined) ?? []).map((id) => c.senderIds.lookup(ws, id)).filter((s): s is Rec => Boolean(s));
    if (!members.length) throw notFound(`channel ${ref.id} has no sender id to receive the message`);
    const ids = new Set(members.map((s) => String(s.id)));
    const last = c.messages
      .table(ws)
      .lookup('to_address', from)
      .filter((m) => m.direction === 'MT' && ids.has(String(m.customer_sender_id)))
      .pop();
    return (last && members.find((s) => s.id === last.customer_sender_id)) ?? members[0];
  }
  const sender =
    c.senderIds.lookup(ws, toRaw) ??
    c.senderIds.table(ws).peekFind((s) => s.address === toRaw || (Boolean(s.address) && (normalizeMdn(String(s.address)) ?? s.address) === toNorm));
  if (!sender) throw notFound(`no sender id of workspace ${ws.id} has the address ${toRaw}`);
  return sender;
}


function applyKeyword(ws: Workspace, c: SynCollections, directory: RecipientDirectory, keyword: Rec, sender: Rec, mo: Rec, reply: Reply): void {
  const actions = String(keyword.actions ?? '')
    .split(/[\s,]+/)
    .map((a) => a.toUpperCase())
    .filter(Boolean);
  for (const action of actions) {
    if (scgRecordsConsent(sender.consent_managed_by, action)) {
      directory.setConsent?.(ws, String(mo.from_address), String(sender.id), action, String(keyword.name), String(mo.body ?? ''));
    }
  }
  ws.emit(API_ID, 'keyword_matched', { message_id: mo.id, keyword_id: keyword.id, keyword: keyword.name, actions, sender_id: sender.id });
  if (keyword.reply_template) {
    const tpl = c.messageTemplates.table(ws).peekFind((t) => t.name === keyword.reply_template || t.id === keyword.reply_template);
    if (!tpl) return;
    try {
      for (const m of reply(`sender_id:${sender.id}`, String(mo.from_address), String(tpl.pattern ?? ''))) {
        m.reply_to = mo.id;
        c.messages.table(ws).touch(m);
      }
    } catch (e) {
      ws.emit(API_ID, 'keyword_reply_failed', { message_id: mo.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
