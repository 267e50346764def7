// Contact statistics (`/contacts/stats/count`): the account's live contacts counted by the status
// of one channel (research §4.2 C9). `OptoutCategory` picks the channel: Email (field 72, the
// default) or Mobile (field 73); a contact with an address of the channel but no status counts
// as "1" (valid). With `PermanentFilter=true`, and the account's permanent filter switched on
// (owned by the targets area: table `permanent_filters`, record `<account>`, `IsEnabled`; absent
// = off), the contacts whose address must not be written to (the doNotWrite statuses) are left
// out, as every count under the permanent filter does (research §5 item 36).
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, isDoNotWrite, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { permanentFilterOn } from './target-eval.js';
import { API_ID, dolistFixtures } from './style.js';

export const OPTOUT_CATEGORIES = ['Email', 'Mobile'] as const;

/** The contacts the permanent filter lets through (all of them when it is off). */
export function throughPermanentFilter(ws: Workspace, account: string, contacts: readonly ContactRec[]): ContactRec[] {
  if (!permanentFilterOn(ws, account)) return [...contacts];
  return contacts.filter((c) => !isDoNotWrite(ws, c));
}

export function contactStats(ws: Workspace, account: string, permanentFilter: boolean, category?: unknown) {
  const cat = category === undefined || category === '' ? 'Email' : OPTOUT_CATEGORIES.find((x) => x.toLowerCase() === String(category).trim().toLowerCase());
  if (!cat) throw dolistError('36', `OptoutCategory must be one of ${OPTOUT_CATEGORIES.join(', ')}`, 'OptoutCategory');
  const fx = dolistFixtures(ws);
  const applied = permanentFilter && permanentFilterOn(ws, account);
  const contacts = applied ? throughPermanentFilter(ws, account, accountContacts(ws, account)) : accountContacts(ws, account);
  const address = String(cat === 'Email' ? fx.standardFieldIds.email : fx.standardFieldIds.mobile);
  const statusField = String(cat === 'Email' ? fx.standardFieldIds.emailStatus : 73);
  const counts = new Map<string, number>(fx.emailStatuses.map((s) => [s.Value, 0]));
  for (const c of contacts) {
    if (c.Values[address] === undefined) continue;
    const s = c.Values[statusField] ?? '1';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const names = new Map(fx.emailStatuses.map((s) => [s.Value, s.Name]));
  return {
    ContactCount: contacts.length,
    OptoutCategory: cat,
    PermanentFilter: applied,
    ItemList: [...counts.entries()].map(([Status, Count]) => ({ Status, Name: names.get(Status) ?? Status, Count })),
  };
}
