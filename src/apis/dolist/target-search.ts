// Dynamic searches (`POST /targets/searchcontrols/execute`): the values a search control offers
// for a criteria reference, from the account's state: the address statuses, a group's
// interests, the interest or target itself, true/false, or the distinct values of a field (or
// days of a contact date) among the contacts, those of a target when one is named, with how
// many contacts hold each. Filtered by `SearchValue` (case-insensitive, value or name). Domain only.
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';
import { accountInterests } from './interests.js';
import { dolistFixtures } from './style.js';
import { findSearchControl, referenceOr507 } from './target-catalogue.js';
import { dateParam } from './target-criteria.js';
import { targetContacts } from './target-eval.js';
import { lawOr511, targetOr502 } from './targets.js';

export interface SearchInput {
  TypeID?: unknown;
  CriteriaReferenceID?: unknown;
  TargetID?: unknown;
  LawID?: unknown;
  SearchValue?: unknown;
  Limit?: unknown;
}

export interface SearchValue {
  Value: string;
  Name: string;
  Count?: number;
}

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

export function executeSearch(ws: Workspace, account: string, input: SearchInput): { items: SearchValue[]; total: number } {
  const typeId = Number(input.TypeID);
  const control = Number.isInteger(typeId) ? findSearchControl(ws, typeId) : undefined;
  if (!control) throw dolistError('513', `no search control ${String(input.TypeID)}`, 'TypeID');
  let contacts: ContactRec[] | undefined;
  if (given(input.TargetID)) {
    const t = targetOr502(ws, account, Number(input.TargetID));
    if (given(input.LawID)) lawOr511(ws, account, t.ID, Number(input.LawID));
    contacts = targetContacts(ws, account, t.ID);
  } else if (given(input.LawID)) {
    throw dolistError('36', 'LawID needs the TargetID of its target', 'LawID');
  }
  const ref = referenceOr507(ws, account, String(input.CriteriaReferenceID ?? ''));
  let values: SearchValue[];
  const s = ref.subject;
  if (control.Kind === 'None') values = [];
  else if (s.kind === 'group') values = accountInterests(ws, account, s.groupId).map((i) => ({ Value: String(i.ID), Name: i.Name }));
  else if (s.kind === 'interest') values = [{ Value: String(s.interestId), Name: ref.Name }];
  else if (s.kind === 'target') values = [{ Value: String(s.targetId), Name: ref.Name }];
  else if (ref.DataType === 'List') values = dolistFixtures(ws).emailStatuses.map((e) => ({ Value: e.Value, Name: e.Name }));
  else if (ref.DataType === 'Boolean') values = [{ Value: '1', Name: 'true' }, { Value: '0', Name: 'false' }];
  else {
    const counts = new Map<string, number>();
    for (const c of contacts ?? accountContacts(ws, account)) {
      const raw = s.kind === 'date' ? (c[s.attr] as string | null) ?? undefined : c.Values[String(s.fieldId)];
      const v = raw && ref.DataType === 'Date' ? dateParam(raw) : raw;
      if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    values = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([Value, Count]) => ({ Value, Name: Value, Count }));
  }
  const q = given(input.SearchValue) ? String(input.SearchValue).toLowerCase() : undefined;
  const found = q === undefined ? values : values.filter((v) => v.Value.toLowerCase().includes(q) || v.Name.toLowerCase().includes(q));
  const limit = given(input.Limit) ? Number(input.Limit) : 100;
  return { items: found.slice(0, limit), total: found.length };
}
