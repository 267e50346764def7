// The details change history: one change set per submission that changed a contact (a direct
// update, an approved change request, a verified channel, a sync), with its execution time, the
// initiating person and the changed paths. Searched with paging, sorting (contactChangeSetId,
// executionDate, initiatorPersonId; latest first) and filters (persons, execution dates, paths).
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import type { Principal } from './auth.js';
import type { ChangeDetail, ContactRec } from './contacts.js';
import { contactName } from './contacts.js';
import { additivFixtures, style } from './style.js';

export interface Person {
  id: number;
  uid: string;
  name: string | null;
}

/** Who made a change: the caller, the contact itself (a verified channel), or a person recorded earlier. */
export type Initiator = Principal | { kind: 'contact'; contact: ContactRec } | ({ kind: 'person' } & Person);

/** The app has no person id of its own: 0. */
export function personOf(ws: Workspace, i: Initiator): Person {
  switch (i.kind) {
    case 'member':
      return { id: i.memberId, uid: i.uid, name: i.name };
    case 'app':
      return { id: 0, uid: additivFixtures(ws).app.uid, name: additivFixtures(ws).app.name };
    case 'contact':
      return { id: Number(i.contact.id), uid: i.contact.uId, name: contactName(i.contact) };
    case 'person':
      return { id: i.id, uid: i.uid, name: i.name };
  }
}

export interface ChangeSetRec extends Rec {
  contactChangeSetId: number;
  contact: string;
  initiatorPersonId: number;
  initiatorPersonUid: string;
  initiatorPersonName: string | null;
  executionDate: string;
  details: ChangeDetail[];
  paths: string[];
  changeRequestId: number | null;
}

export const changeSets = new Collection<ChangeSetRec>({
  api: style,
  name: 'change_sets',
  label: 'change set',
  shape: shapeFromKinds({
    contactChangeSetId: 'integer', contact: 'string', initiatorPersonId: 'integer', initiatorPersonUid: 'string', initiatorPersonName: 'string',
    executionDate: 'date', details: 'objectArray', paths: 'stringArray', changeRequestId: 'integer',
  }),
  resource: { id: { field: 'contactChangeSetId', kind: 'sequence', type: 'integer' } },
  partition: 'contact',
  list: { source: 'query' },
  sortable: ['contactChangeSetId', 'executionDate', 'initiatorPersonId'],
  defaultSort: [
    { field: 'executionDate', desc: true },
    { field: 'contactChangeSetId', desc: true },
  ],
  filters: {
    initiatorPersonIds: { field: 'initiatorPersonId', op: 'in' },
    initiatorPersonUids: { field: 'initiatorPersonUid', op: 'in', caseInsensitive: true },
    executionDateFrom: { field: 'executionDate', op: 'gte', type: 'date' },
    executionDateTo: { field: 'executionDate', op: 'lte', type: 'date' },
    paths: { field: 'paths', op: 'in' },
  },
});

export function recordChangeSet(ws: Workspace, c: ContactRec, details: ChangeDetail[], initiator: Initiator, changeRequestId: number | null = null): ChangeSetRec | null {
  if (!details.length) return null;
  const p = personOf(ws, initiator);
  return changeSets.insert(
    ws,
    { initiatorPersonId: p.id, initiatorPersonUid: p.uid, initiatorPersonName: p.name, executionDate: new Date(ws.now()).toISOString(), details, paths: details.map((d) => d.path), changeRequestId },
    { partition: c.id },
  );
}

export function renderChangeSet(r: ChangeSetRec, version: 'v1.0' | 'v1.1') {
  const person = version === 'v1.0' ? { id: r.initiatorPersonId, name: r.initiatorPersonName } : { uid: r.initiatorPersonUid, name: r.initiatorPersonName };
  return { initiatorPerson: person, executionDate: r.executionDate, details: r.details.map((d) => ({ ...d })) };
}

/** Masks the values of a contact's history (anonymization). */
export function maskHistory(ws: Workspace, c: ContactRec, token: string): void {
  const t = changeSets.table(ws);
  for (const r of t.where('contact', c.id)) {
    r.details = r.details.map((d) => ({ ...d, originalValue: d.originalValue === null ? null : token, targetValue: d.targetValue === null ? null : token }));
    t.touch(r);
  }
}
