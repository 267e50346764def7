// The contacts a target (segment) selects, as its laws and criteria say. Owned by the targets
// area; exports (the Segment filter), target counts and part 2's sendings read it.
// PLACEHOLDER on the dolist branch until the targets area lands: every live contact.
import type { Workspace } from '../../core/workspace.js';
import { accountContacts, type ContactRec } from './contacts.js';
import { dolistError } from './error-catalogue.js';

/** The live contacts of the account matching target `targetId` (404 [502] when no such target). */
export function targetContacts(ws: Workspace, account: string, targetId: number): ContactRec[] {
  const t = ws.table(API, 'targets').peek(String(targetId));
  if (!t || t.account !== account) throw dolistError('502', `no target ${targetId} in account ${account}`, 'TargetID');
  return accountContacts(ws, account);
}

const API = 'dolist';
