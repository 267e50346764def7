// Legal entities: details validated against the legal-entity schema, and the contacts linked to
// them with access policies (v1.0: policy ids and a share; v1.1: policy keys). The contact group
// id is the entity's id. A contact reads an entity only when linked to it. No HTTP.
import { Collection } from '../../core/engine/collection.js';
import { shapeFromKinds } from '../../core/engine/shape.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { contacts } from './contacts.js';
import { flatten, legalEntitySchema, unflatten, validateDetails, type Details } from './schemas.js';
import { additivFixtures, style } from './style.js';

export interface LinkedContact {
  contactId: number;
  accessPolicyIds: number[];
  share: number | null;
}

export interface LegalEntityRec extends Rec {
  contactGroupId: number;
  details: Details;
  contacts: LinkedContact[];
  contactIds: number[];
  externalId: string | null;
}

export const legalEntities = new Collection<LegalEntityRec>({
  api: style,
  name: 'legal_entities',
  label: 'legal entity',
  shape: shapeFromKinds({ id: 'integer', contactGroupId: 'integer', details: 'object', contacts: 'objectArray', contactIds: 'array', externalId: 'string' }),
  indexes: ['externalId'],
  errorField: 'legalEntityId',
  notFoundMessage: (id) => `legal entity ${id} not found`,
});

export interface LinkInput {
  contactId?: number;
  accessPolicyIds?: number[] | null;
  accessPolicyKeys?: string[] | null;
  share?: number | null;
}

/** The links of a create request: existing contacts, known policies (by id or key), shares in 0..1. */
export function resolveLinks(ws: Workspace, input: LinkInput[] | null | undefined): LinkedContact[] {
  const policies = additivFixtures(ws).accessPolicies;
  const out: LinkedContact[] = [];
  for (const [i, l] of (input ?? []).entries()) {
    const where = `contacts[${i}]`;
    if (typeof l.contactId !== 'number') throw invalid(`${where}.contactId is required`, { field: `${where}.contactId` });
    if (!contacts.lookup(ws, l.contactId)) throw invalid(`${where}.contactId: contact ${l.contactId} not found`, { field: `${where}.contactId` });
    if (out.some((o) => o.contactId === l.contactId)) throw invalid(`${where}.contactId: contact ${l.contactId} is linked twice`, { field: `${where}.contactId` });
    const ids: number[] = [];
    for (const id of l.accessPolicyIds ?? []) {
      if (!policies.some((p) => p.id === id)) throw invalid(`${where}.accessPolicyIds: no access policy ${id} (known: ${policies.map((p) => p.id).join(', ')})`, { field: `${where}.accessPolicyIds` });
      ids.push(id);
    }
    for (const key of l.accessPolicyKeys ?? []) {
      const p = policies.find((x) => x.key.toLowerCase() === key.toLowerCase());
      if (!p) throw invalid(`${where}.accessPolicyKeys: no access policy '${key}' (known: ${policies.map((x) => x.key).join(', ')})`, { field: `${where}.accessPolicyKeys` });
      ids.push(p.id);
    }
    const share = l.share ?? null;
    if (share !== null && (share < 0 || share > 1)) throw invalid(`${where}.share must be a fraction from 0 to 1`, { field: `${where}.share` });
    out.push({ contactId: l.contactId, accessPolicyIds: [...new Set(ids)], share });
  }
  const total = out.reduce((s, l) => s + (l.share ?? 0), 0);
  if (total > 1 + 1e-9) throw invalid(`the contacts' shares add up to ${total}, more than 1`, { field: 'contacts' });
  return out;
}

function checkedDetails(ws: Workspace, details: unknown): Details {
  validateDetails(ws, legalEntitySchema(ws), details, { complete: true, member: false });
  return unflatten(flatten(details));
}

export function createLegalEntity(ws: Workspace, input: { details: unknown; contacts?: LinkInput[] | null; externalId?: string | null }, id?: number): LegalEntityRec {
  const details = checkedDetails(ws, input.details);
  const links = resolveLinks(ws, input.contacts);
  const rec = legalEntities.insert(ws, { details, contacts: links, contactIds: links.map((l) => l.contactId), externalId: input.externalId ?? null }, id !== undefined ? { id } : {});
  rec.contactGroupId = Number(rec.id);
  return legalEntities.table(ws).touch(rec);
}

export function replaceLegalEntityDetails(ws: Workspace, rec: LegalEntityRec, details: unknown): void {
  rec.details = checkedDetails(ws, details);
  legalEntities.table(ws).touch(rec);
}

export function legalEntityOfContact(ws: Workspace, contactId: number, legalEntityId: number): LegalEntityRec {
  contacts.view(ws, contactId);
  const rec = legalEntities.view(ws, legalEntityId);
  if (!rec.contactIds.includes(contactId)) throw notFound(`legal entity ${legalEntityId} is not linked to contact ${contactId}`, { field: 'legalEntityId' });
  return rec;
}

export const renderDetails = (rec: LegalEntityRec) => ({ contactGroupId: rec.contactGroupId, details: rec.details });

export function loadLegalEntities(ws: Workspace): void {
  for (const fx of additivFixtures(ws).legalEntities) createLegalEntity(ws, { details: fx.details, contacts: fx.contacts }, fx.id);
}
