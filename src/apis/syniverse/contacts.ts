// Contacts of the SCG as recipients: static and dynamic groups (members by id, or by the
// criteria grammar), consent per (address, sender id) with its history, the fast access
// attributes a contact may set, and the directory the messaging simulator resolves `to`,
// `criteria` and consent through. Plain functions over the collections: no HTTP here.
import { invalid } from '../../core/errors.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import type { SynCollections } from './collections.js';
import { compile, parseCriteria } from './criteria.js';
import type { RecipientDirectory } from './messaging.js';
import { normalizeMdn } from './numbers.js';

export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The members of a group: its criteria's matches (DYNAMIC) or its listed contacts (STATIC), read-only. */
export function groupMembers(ws: Workspace, c: SynCollections, g: Rec): Rec[] {
  const contacts = c.contacts.table(ws);
  if (g.type === 'DYNAMIC' && g.criteria) {
    const p = compile(parseCriteria(g.criteria));
    return [...contacts.scan()].filter(p);
  }
  const ids = (g._members as string[]) ?? [];
  return ids.map((id) => contacts.peek(id)).filter((x): x is Rec => Boolean(x));
}

/** Writes the fast access values of a body onto a contact (400 for an attribute no rule defines). */
export function writeFastAccess(ws: Workspace, c: SynCollections, rec: Rec, values: Record<string, unknown> | undefined): void {
  if (!values || typeof values !== 'object') return;
  const current = (typeof rec.fast_access === 'string' ? safeJson(rec.fast_access) : {}) as Record<string, unknown>;
  const names = new Set([...c.fastAccessRules.table(ws).scan()].flatMap((r) => [String(r.target_attribute), String(r.target_attribute_name ?? '')]));
  for (const k of Object.keys(values)) if (!names.has(k)) throw invalid(`no fast access rule defines '${k}'`, { field: 'fast_access', reason: 'unknown' });
  rec.fast_access = JSON.stringify({ ...(current ?? {}), ...values });
  c.contacts.table(ws).touch(rec);
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

/** The address of a contact for the first kind of `priority` it has (MDN -> primary_mdn, EMAIL -> primary_email_addr). */
export function addressOf(contact: Rec, priority: string[]): string | undefined {
  for (const kind of priority.length ? priority : ['MDN']) {
    if (kind.toUpperCase() === 'MDN' && contact.primary_mdn) return String(contact.primary_mdn);
    if (kind.toUpperCase() === 'EMAIL' && contact.primary_email_addr) return String(contact.primary_email_addr);
  }
  return undefined;
}

/** Removes a contact and what hangs on it (group memberships, its tokens). */
export function removeContact(ws: Workspace, c: SynCollections, id: string): Rec {
  const rec = c.contacts.remove(ws, id);
  for (const g of c.contactGroups.table(ws).filter((g) => ((g._members as string[]) ?? []).includes(String(rec.id)))) {
    g._members = (g._members as string[]).filter((x) => x !== rec.id);
    c.contactGroups.bump(ws, g);
  }
  for (const t of c.applicationTokens.table(ws).lookup('_contact_id', rec.id)) c.applicationTokens.table(ws).remove(String(t.id));
  for (const t of c.accessTokens.table(ws).lookup('_resource_id', rec.id)) if (t._resource === 'CONTACT') c.accessTokens.table(ws).remove(String(t.id));
  return rec;
}

/** How the messaging simulator sees contacts, groups and consent. */
export function contactDirectory(c: SynCollections): RecipientDirectory {
  const asRecipients = (members: Rec[], priority: string[]) =>
    members.flatMap((m) => {
      const address = addressOf(m, priority);
      return address ? [{ address, contactId: String(m.id) }] : [];
    });
  return {
    resolve(ws, element, priority) {
      const contact = c.contacts.lookup(ws, element);
      if (contact) return asRecipients([contact], priority);
      const g = c.contactGroups.lookup(ws, element);
      if (g) return asRecipients(groupMembers(ws, c, g), priority);
      return undefined;
    },
    criteria(ws, expression, priority) {
      const p = compile(parseCriteria(expression));
      return asRecipients([...c.contacts.table(ws).scan()].filter(p), priority);
    },
    consent(ws, address, senderId) {
      return consentRecord(ws, c, address, senderId)?.consent_status as string | undefined;
    },
    setConsent(ws, address, senderId, status, keyword, message) {
      const found = consentRecord(ws, c, address, senderId);
      if (found && (found.consent_status === 'WHITELIST' || found.consent_status === 'BLACKLIST')) return; // end users cannot override these
      if (!found) c.addressStatuses.insert(ws, { address_type: 'MDN', address, sender_id: senderId, consent_status: status });
      else if (found.consent_status !== status) {
        const rec = c.addressStatuses.get(ws, found.id);
        rec.consent_status = status;
        c.addressStatuses.bump(ws, rec);
      }
      addHistory(ws, c, address, senderId, status, 'MESSAGE', { keyword, message });
    },
  };
}
