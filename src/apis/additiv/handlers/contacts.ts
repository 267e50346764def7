// Contacts: creation, details (get/patch/put through the approval rules), username, external
// connections, profile picture, pending communication channels and anonymization.
import type { OperationHandlers, TypedHandler } from '../../../core/contract-types.js';
import { invalid } from '../../../core/errors.js';
import { pendingChangeRequestOf, anonymizeChangeRequests } from '../change-requests.js';
import {
  addExternalConnection,
  anonymizeContact,
  contactByExternalConnection,
  contactForUpdate,
  contactView,
  contactsToAnonymize,
  createContact,
  deletePicture,
  pendingFlags,
  pictureOf,
  setPicture,
  updateDetails,
  updateUsername,
} from '../contacts.js';
import type { operations } from '../generated/contract.js';
import { maskHistory } from '../history.js';
import { additivFixtures, API_ID, NO_CONTENT } from '../style.js';
import { discontinue, resendKey, verify, type Channel } from '../verification.js';
import { callerOf } from './common.js';

type O = operations;

const channelOf = (v: unknown): Channel => {
  if (v !== 'Email' && v !== 'Mobile') throw invalid(`'channel' must be "Email" or "Mobile"`, { field: 'channel' });
  return v;
};

export function contactHandlers(): OperationHandlers<O> {
  const createContactH: TypedHandler<O, 'createContact'> = (ctx) => {
    const caller = callerOf(ctx);
    const c = createContact(ctx.ws, {
      contactTypeId: ctx.body.contactTypeId,
      username: ctx.body.username,
      details: ctx.body.details,
      correlationId: ctx.body.correlationId,
      ownerMemberId: caller.kind === 'member' ? caller.memberId : null,
    });
    ctx.ws.emit(API_ID, 'contact.created', { contactId: Number(c.id), uId: c.uId });
    return { body: { id: Number(c.id), uId: c.uId, details: c.details } };
  };
  const getContactDetails: TypedHandler<O, 'getContactDetails'> = (ctx) => {
    const c = contactView(ctx.ws, ctx.params.contactId);
    return { body: { id: Number(c.id), hasPendingChangeRequest: Boolean(pendingChangeRequestOf(ctx.ws, c)), ...pendingFlags(c), details: c.details } };
  };
  const write = (mode: 'patch' | 'put'): TypedHandler<O, 'patchContactDetails' | 'updateContactDetails'> => (ctx) => {
    const c = contactForUpdate(ctx.ws, ctx.params.contactId);
    const out = updateDetails(ctx.ws, c, ctx.body.details, { mode, principal: callerOf(ctx), comment: ctx.body.comment });
    return { body: { isApprovalRequired: out.isApprovalRequired, hasPendingEmail: out.hasPendingEmail, hasPendingMobile: out.hasPendingMobile } };
  };
  const getExternalConnections: TypedHandler<O, 'getExternalConnections'> = (ctx) => ({
    body: { connections: contactView(ctx.ws, ctx.params.contactId).externalConnections.map((x) => ({ externalId: x.externalId, system: x.system })) },
  });
  const addExternalConnectionH: TypedHandler<O, 'addExternalConnection'> = (ctx) => {
    addExternalConnection(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), ctx.body);
    return NO_CONTENT;
  };
  const getContactByExternalConnection: TypedHandler<O, 'getContactByExternalConnection'> = (ctx) => {
    const c = contactByExternalConnection(ctx.ws, ctx.params.system, ctx.params.externalId);
    return { body: { id: Number(c.id), uid: c.uId } };
  };
  const getContactUsername: TypedHandler<O, 'getContactUsername'> = (ctx) => ({ body: { username: contactView(ctx.ws, ctx.params.contactId).username } });
  const updateContactUsername: TypedHandler<O, 'updateContactUsername'> = (ctx) => {
    updateUsername(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), ctx.body.username);
    return NO_CONTENT;
  };
  const getProfilePicture: TypedHandler<O, 'getProfilePicture'> = (ctx) => ({ body: pictureOf(ctx.ws, contactView(ctx.ws, ctx.params.contactId)) });
  const updateProfilePicture: TypedHandler<O, 'updateProfilePicture'> = (ctx) => {
    setPicture(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), ctx.body.imageContentBase64);
    return NO_CONTENT;
  };
  const deleteProfilePicture: TypedHandler<O, 'deleteProfilePicture'> = (ctx) => {
    deletePicture(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId));
    return NO_CONTENT;
  };
  const verifyPendingCommunication: TypedHandler<O, 'verifyPendingCommunication'> = (ctx) => {
    verify(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), channelOf(ctx.body.channel), ctx.body.key);
    return NO_CONTENT;
  };
  const resendPendingCommunicationKey: TypedHandler<O, 'resendPendingCommunicationKey'> = (ctx) => {
    resendKey(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), channelOf(ctx.body.channel));
    return NO_CONTENT;
  };
  const discontinuePendingCommunication: TypedHandler<O, 'discontinuePendingCommunication'> = (ctx) => {
    discontinue(ctx.ws, contactForUpdate(ctx.ws, ctx.params.contactId), channelOf(ctx.body.channel));
    return NO_CONTENT;
  };
  const anonymizeContacts: TypedHandler<O, 'anonymizeContacts'> = (ctx) => {
    const token = additivFixtures(ctx.ws).anonymizedValue;
    for (const c of contactsToAnonymize(ctx.ws, ctx.body.contactIds, ctx.body.contactUIds)) {
      anonymizeChangeRequests(ctx.ws, c, token);
      maskHistory(ctx.ws, c, token);
      anonymizeContact(ctx.ws, c);
      ctx.ws.emit(API_ID, 'contact.anonymized', { contactId: Number(c.id) });
    }
    return NO_CONTENT;
  };
  return {
    createContact: createContactH,
    getContactDetails,
    patchContactDetails: write('patch'),
    updateContactDetails: write('put'),
    getExternalConnections,
    addExternalConnection: addExternalConnectionH,
    getContactByExternalConnection,
    getContactUsername,
    updateContactUsername,
    getProfilePicture,
    updateProfilePicture,
    deleteProfilePicture,
    verifyPendingCommunication,
    resendPendingCommunicationKey,
    discontinuePendingCommunication,
    anonymizeContacts,
  };
}
