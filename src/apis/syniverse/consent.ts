// Consent of an address per sender id (contact address statuses) and its history: who may change
// it (sender ids' consent_managed_by; which keyword actions SCG records is keywords.ts'
// scgRecordsConsent), keyword-driven changes from the messaging simulator, the company's own
// changes and the bulk opt-out. Plain functions over the collections: no HTTP here.
import { forbidden, invalid } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { SynCollections } from './collections.js';
import { normalizeMdn } from './numbers.js';

/** 403 when SCG alone manages the consent of the sender id (the application may not write it). */
export function assertApplicationManaged(sender: Rec | undefined): void {
  if (sender?.consent_managed_by === 'SCG') throw forbidden(`consent for sender id ${sender.id} is managed by SCG (keywords), not by the application`);
}

/** The consent record of (address, sender id), if any (read-only). */
export function consentRecord(ws: Workspace, c: SynCollections, address: string, senderId: string): Rec | undefined {
  const norm = normalizeMdn(address) ?? address;
  return c.addressStatuses
    .table(ws)
    .lookup('sender_id', senderId)
    .find((s) => (normalizeMdn(String(s.address)) ?? s.address) === norm);
}

export function addHistory(ws: Workspace, c: SynCollections, address: string, senderId: string, status: string, source: string, extra: Record<string, unknown> = {}): Rec {
  return c.addressHistory.insert(ws, { msisdn: address, sender_id: senderId, source, status, timestamp: ws.nowIso(), message: null, keyword: null, ...extra });
}

function senderOf(ws: Workspace, c: SynCollections, senderId: string): Rec {
  const sender = c.senderIds.lookup(ws, senderId);
  if (!sender) throw invalid(`sender id ${senderId} does not exist`, { field: 'sender_id' });
  return sender;
}

/** POST /consent/contact_address_statuses: a new status, with a COMPANY history record unless NONE. */
export function createStatus(ws: Workspace, c: SynCollections, values: Record<string, unknown>): Rec {
  const sender = senderOf(ws, c, String(values.sender_id));
  const rec = c.addressStatuses.insert(ws, { ...values, from_address: sender.address ?? null });
  if (rec.consent_status !== 'NONE') addHistory(ws, c, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
  return rec;
}

/** POST /consent/contact_address_statuses/{id}: the application changes a status (not on SCG-managed sender ids). */
export function updateStatus(ws: Workspace, c: SynCollections, id: string, body: Record<string, unknown> | undefined, schema: Record<string, any> | undefined): Rec {
  const rec = c.addressStatuses.get(ws, id);
  assertApplicationManaged(c.senderIds.find(ws, String(rec.sender_id)));
  if (body?.address_type !== undefined && body.address_type !== rec.address_type) throw invalid('address_type cannot change', { field: 'address_type' });
  const before = rec.consent_status;
  c.addressStatuses.update(ws, String(rec.id), body, schema);
  if (rec.consent_status !== before) addHistory(ws, c, String(rec.address), String(rec.sender_id), String(rec.consent_status), 'COMPANY');
  return rec;
}

/** The stored form of an address and its type (E.164 for phone numbers), or a 400 naming it. */
function addressOf(raw: string): { address: string; type: string } {
  const a = raw.trim();
  if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a)) return { address: a, type: 'EMAIL' };
  const mdn = /^\+?[0-9][0-9 ().-]{5,20}$/.test(a) ? normalizeMdn(a) : undefined;
  if (!mdn) throw invalid(`address '${raw}' is neither a phone number nor an email address`, { field: 'addresses' });
  return { address: mdn, type: 'MDN' };
}

/**
 * POST /consent/contact_address_statuses/optout: every address OPTOUT of the sender id (BLACKLIST
 * stays). An opt-out reported by the application is honoured whoever manages the sender id's
 * consent (it only ever restricts sending).
 */
export function optOut(ws: Workspace, c: SynCollections, senderId: string, addresses: string[], channel: string | null): string[] {
  const sender = senderOf(ws, c, senderId);
  const parsed = addresses.map(addressOf);
  return parsed.map(({ address, type }) => {
    const found = consentRecord(ws, c, address, String(sender.id));
    if (!found) {
      const rec = c.addressStatuses.insert(ws, { address_type: type, address, sender_id: sender.id, consent_status: 'OPTOUT', opt_out_type: channel, from_address: sender.address ?? null });
      addHistory(ws, c, address, String(sender.id), 'OPTOUT', 'COMPANY');
      return String(rec.id);
    }
    const rec = c.addressStatuses.get(ws, found.id);
    const status = rec.consent_status === 'BLACKLIST' ? 'BLACKLIST' : 'OPTOUT';
    const changed = status !== rec.consent_status;
    Object.assign(rec, { consent_status: status, opt_out_type: channel ?? rec.opt_out_type ?? null });
    c.addressStatuses.bump(ws, rec);
    if (changed) addHistory(ws, c, String(rec.address), String(sender.id), status, 'COMPANY');
    return String(rec.id);
  });
}

/**
 * A keyword of an MO changes the consent of (address, sender id), unless it is WHITELIST or
 * BLACKLIST (end users cannot override these); always written to the history.
 */
export function setConsentByMessage(ws: Workspace, c: SynCollections, address: string, senderId: string, status: string, keyword?: string, message?: string): void {
  const found = consentRecord(ws, c, address, senderId);
  if (found && (found.consent_status === 'WHITELIST' || found.consent_status === 'BLACKLIST')) return;
  const channel = status === 'OPTIN' ? { opt_in_type: 'SMS' } : status === 'OPTOUT' ? { opt_out_type: 'SMS' } : {};
  if (!found) {
    const sender = c.senderIds.lookup(ws, senderId);
    c.addressStatuses.insert(ws, { address_type: 'MDN', address, sender_id: senderId, consent_status: status, from_address: sender?.address ?? null, ...channel });
  } else if (found.consent_status !== status) {
    const rec = c.addressStatuses.get(ws, found.id);
    Object.assign(rec, { consent_status: status, ...channel });
    c.addressStatuses.bump(ws, rec);
  }
  addHistory(ws, c, address, senderId, status, 'MESSAGE', { keyword, message });
}
