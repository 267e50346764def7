// A contact's interests: the links `ContactRec.Interests` (interest ID -> origin and date) as the
// API lists them (flat, or by group), and their change by `OperationMode` (research §4.2 C7):
// Add = union, Remove = difference, Replace = the list becomes the contact's interests. Every
// interest must be a live one of the account (404 [432], nothing changes). A group in Radio or
// Select style holds one interest per contact: two of its interests in one request is 400 [36],
// and adding one replaces the contact's other interest of that group. Links to soft-deleted
// interests stay stored (an Undo brings them back) but are neither listed nor counted.
import type { Workspace } from '../../core/workspace.js';
import { contactForWrite, contactsTable, ORIGIN, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { isSingleChoice } from './interest-catalogue.js';
import { findGroup, findInterest, type InterestRec } from './interests.js';

export const OPERATION_MODES = ['Add', 'Remove', 'Replace'] as const;
export type OperationMode = (typeof OPERATION_MODES)[number];

/** Add / Remove / Replace in any case, or 400 [36]. */
export function operationModeOf(v: unknown): OperationMode {
  const m = OPERATION_MODES.find((x) => x.toLowerCase() === String(v ?? '').trim().toLowerCase());
  if (!m) throw dolistError('36', `OperationMode must be one of ${OPERATION_MODES.join(', ')}`, 'OperationMode');
  return m;
}

/** An origin given as its number or its name (`Forms`, any case); API when absent; else 400 [36]. */
export function originOf(v: unknown): number {
  if (v === undefined || v === null || v === '') return ORIGIN.API;
  const s = String(v).trim();
  const byName = Object.entries(ORIGIN).find(([k]) => k.toLowerCase() === s.toLowerCase());
  if (byName) return byName[1];
  if (/^\d+$/.test(s) && Object.values(ORIGIN).includes(Number(s) as never)) return Number(s);
  throw dolistError('36', `ContactInterestOrigin must be one of ${Object.entries(ORIGIN).map(([k, n]) => `${n} (${k})`).join(', ')}`, 'ContactInterestOrigin');
}

export interface ContactInterestView {
  InterestID: number;
  Name: string;
  GroupID: number;
  GroupName: string;
  Origin: number;
  CreateDate: string;
}

/** The contact's live interests, by group then position. */
export function contactInterests(ws: Workspace, account: string, c: ContactRec): ContactInterestView[] {
  const out: Array<ContactInterestView & { pos: number }> = [];
  for (const [k, link] of Object.entries(c.Interests)) {
    const i = findInterest(ws, account, Number(k));
    const g = i && findGroup(ws, account, i.GroupID);
    if (!i || !g) continue;
    out.push({ InterestID: i.ID, Name: i.Name, GroupID: g.ID, GroupName: g.Name, Origin: link.Origin, CreateDate: link.Date, pos: i.Position });
  }
  out.sort((a, b) => a.GroupID - b.GroupID || a.pos - b.pos || a.InterestID - b.InterestID);
  return out.map(({ pos: _pos, ...v }) => v);
}

/** The contact's live interests by group (groups where it has one), by group ID. */
export function contactGroupInterests(ws: Workspace, account: string, c: ContactRec) {
  const byGroup = new Map<number, { GroupID: number; Name: string; Interests: ContactInterestView[] }>();
  for (const v of contactInterests(ws, account, c)) {
    let g = byGroup.get(v.GroupID);
    if (!g) byGroup.set(v.GroupID, (g = { GroupID: v.GroupID, Name: v.GroupName, Interests: [] }));
    g.Interests.push(v);
  }
  return [...byGroup.values()];
}

/** Changes the contact's interests; every check before the write. */
export function setContactInterests(ws: Workspace, account: string, contactId: number, ids: unknown, mode: OperationMode, origin: number): ContactRec {
  if (!Array.isArray(ids) || ids.some((x) => !Number.isInteger(Number(x)))) throw dolistError('36', 'InterestIDList must be a list of interest ids', 'InterestIDList');
  const c = contactForWrite(ws, account, contactId);
  const wanted: InterestRec[] = [];
  for (const raw of new Set(ids.map(Number))) {
    const i = findInterest(ws, account, raw);
    if (!i || !findGroup(ws, account, i.GroupID)) throw dolistError('432', `no interest ${raw} in account ${account}`, 'InterestIDList');
    wanted.push(i);
  }
  const now = new Date(ws.now()).toISOString();
  const links = { ...c.Interests };
  if (mode === 'Remove') {
    for (const i of wanted) delete links[String(i.ID)];
  } else {
    const perGroup = new Map<number, InterestRec>();
    for (const i of wanted) {
      const g = findGroup(ws, account, i.GroupID)!;
      if (!isSingleChoice(g.Style)) continue;
      const other = perGroup.get(g.ID);
      if (other) throw dolistError('36', `group ${g.ID} (${g.Name}) is ${g.Style}: a contact has one of its interests, not ${other.ID} and ${i.ID}`, 'InterestIDList');
      perGroup.set(g.ID, i);
    }
    if (mode === 'Replace') {
      // Live interests not listed go; links to deleted interests stay for an Undo.
      for (const k of Object.keys(links)) if (findInterest(ws, account, Number(k)) && !wanted.some((i) => String(i.ID) === k)) delete links[k];
    }
    for (const i of wanted) {
      const g = findGroup(ws, account, i.GroupID)!;
      if (isSingleChoice(g.Style)) {
        for (const k of Object.keys(links)) {
          const other = findInterest(ws, account, Number(k));
          if (other && other.GroupID === g.ID && other.ID !== i.ID) delete links[k];
        }
      }
      if (!links[String(i.ID)]) links[String(i.ID)] = { Origin: origin, Date: now };
    }
  }
  c.Interests = links;
  c.UpdateDate = now;
  c.UpdateOrigin = origin;
  return contactsTable(ws).put(c);
}
