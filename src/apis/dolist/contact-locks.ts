// What keeps a contact from being deleted (`DELETE /contacts/{id}` 500 [412] "The contact can not
// be deleted.", research §4.2 C6: a contact locked by a running sending or operation). Areas that
// lock contacts (part 2's sendings, the targets area's running operations) register a finder
// naming the lock; the contacts area asks before deleting.
import type { Workspace } from '../../core/workspace.js';

/** Why the contact is locked (e.g. "sending 7001 is sending to it"), or undefined. */
export type ContactLockFinder = (ws: Workspace, account: string, contactId: number) => string | undefined;

const finders = new Map<string, ContactLockFinder>();

/** Registers (idempotently, by name) a finder of contact locks. */
export function registerContactLock(name: string, find: ContactLockFinder): void {
  finders.set(name, find);
}

export function unregisterContactLock(name: string): void {
  finders.delete(name);
}

/** The first lock on the contact, or undefined. */
export function contactLock(ws: Workspace, account: string, contactId: number): string | undefined {
  for (const find of finders.values()) {
    const why = find(ws, account, contactId);
    if (why) return why;
  }
  return undefined;
}
