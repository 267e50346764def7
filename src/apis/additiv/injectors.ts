// What the outside world does to an additiv tenant, for scenarios and the control API
// (`POST /_sim/workspaces/{ws}/inject/{kind}`): a client signs up through the onboarding app, an
// advisor or the app changes a client's details, the client types the key sent to their new email
// or mobile, and a reviewer decides on the pending change request. Each goes through the same
// domain rules as the API operations (approval, verification, history); only the caller differs.
// A contact is named by `contactId`, `uId` or `username`, so that a scenario timeline can refer to
// a contact it created a step earlier.
import type { Injector } from '../../core/api.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Workspace } from '../../core/workspace.js';
import { principalOf } from './auth.js';
import { pendingChangeRequestOf, reviewChangeRequest } from './change-requests.js';
import { contactByUid, contacts, createContact, updateDetails, type ContactRec } from './contacts.js';
import { API_ID } from './style.js';
import { verify, type Channel } from './verification.js';

function contactOf(ws: Workspace, body: Record<string, unknown>): ContactRec {
  if (body.contactId !== undefined) return contacts.get(ws, Number(body.contactId));
  if (typeof body.uId === 'string') {
    const c = contactByUid(ws, body.uId);
    if (!c) throw notFound(`no contact has uId ${body.uId}`, { field: 'uId' });
    return c;
  }
  if (typeof body.username === 'string') {
    const c = contacts.table(ws).lookup('usernameKey', body.username.toLowerCase())[0];
    if (!c) throw notFound(`no contact has the username ${JSON.stringify(body.username)}`, { field: 'username' });
    return c;
  }
  throw invalid('name the contact: "contactId", "uId" or "username"');
}

const done = (c: ContactRec, extra: Record<string, unknown> = {}) => ({ api: API_ID, contactId: Number(c.id), uId: c.uId, ...extra });

export const additivInjectors: Record<string, Injector> = {
  /** `{username?, details, contactTypeId?}`: a client registers through the onboarding app. */
  'client-signup': (ws, body) => {
    if (!body.details || typeof body.details !== 'object') throw invalid('client-signup needs "details" (the contact details, as POST /v1.0/contacts takes them)');
    const c = createContact(ws, {
      contactTypeId: (body.contactTypeId as number | undefined) ?? null,
      username: (body.username as string | undefined) ?? null,
      details: body.details,
      ownerMemberId: null,
    });
    return done(c);
  },

  /**
   * `{contact, details, by?: "member"|"app"}`: a details change (patch). By a member (the default,
   * the advisor Anna Berger) approval-required paths wait in a change request; by the app they
   * apply at once. A new email or mobile waits for its key either way.
   */
  'client-details': (ws, body) => {
    const c = contactOf(ws, body);
    if (!body.details || typeof body.details !== 'object') throw invalid('client-details needs "details" (the paths to change)');
    const by = body.by ?? 'member';
    if (by !== 'member' && by !== 'app') throw invalid('"by" must be "member" or "app"');
    const out = updateDetails(ws, c, body.details, { mode: 'patch', principal: principalOf(ws, by === 'app' ? 'appToken' : 'memberToken'), comment: (body.comment as string | undefined) ?? null });
    return done(c, { changeRequestId: out.changeRequestId, isApprovalRequired: out.isApprovalRequired });
  },

  /** `{contact, channel: "Email"|"Mobile", key?}`: the client types the key (by default the one sent). */
  'client-verify': (ws, body) => {
    const c = contactOf(ws, body);
    const channel = body.channel ?? 'Email';
    if (channel !== 'Email' && channel !== 'Mobile') throw invalid('"channel" must be "Email" or "Mobile"');
    const key = body.key === undefined ? c.pending[channel as Channel]?.key : body.key;
    verify(ws, c, channel as Channel, key as string | undefined);
    return done(c, { channel });
  },

  /** `{contact, approve?: true, comment?}`: the reviewer (Marc Keller) decides on the pending change request. */
  'change-review': (ws, body) => {
    const c = contactOf(ws, body);
    const r = pendingChangeRequestOf(ws, c);
    if (!r) throw invalid(`contact ${c.id} has no pending change request`);
    const approve = body.approve === undefined ? true : body.approve;
    if (typeof approve !== 'boolean') throw invalid('"approve" must be true or false');
    reviewChangeRequest(ws, r, principalOf(ws, 'reviewerToken'), { isApproved: approve, comment: (body.comment as string | undefined) ?? null });
    return done(c, { changeRequestId: Number(r.id), approved: approve });
  },
};
