// Password renewal (research R7): `POST /users/password` makes a single-use token for the user
// holding the address (always 204: no enumeration) that expires after the fixtures' TTL on the
// workspace clock; a client reads it as the workspace event `user.password_token` (the real
// service e-mails it). `PUT /users/password/{Token}` sets the password with a live token: unknown,
// spent, superseded (a newer request replaces it) or expired tokens are 404 [903].
// Table `password_tokens` keyed by the token.
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { API_ID, dolistFixtures } from './style.js';
import { checkPasswordRules, passwordHash, usersTable, type UserRec } from './users.js';

export interface PasswordTokenRec extends Rec {
  /** The token. */
  id: string;
  UserID: number;
  CreateDate: string;
  ExpiresAt: string;
  /** When it was spent, or replaced by a newer one (then it no longer works). */
  UsedAt: string | null;
  SupersededAt: string | null;
}

interface PasswordFixtures {
  passwordReset?: { tokenTtlMs?: number; requireValidationKey?: boolean };
}
const settings = (ws: Workspace) => (dolistFixtures(ws) as unknown as PasswordFixtures).passwordReset ?? {};

export const passwordTokensTable = (ws: Workspace) => ws.table<PasswordTokenRec>(API_ID, 'password_tokens');

/** A reCAPTCHA answer's shape (the simulator cannot ask Google): 20+ URL-safe characters. */
const VALIDATION_KEY = /^[A-Za-z0-9_-]{20,}$/;

/**
 * Starts a renewal for the address. A ValidationKey (the reCAPTCHA answer) that is given must
 * look like one, and is required when the fixtures say so: else 400 [13].
 */
export function requestPasswordReset(ws: Workspace, email: string, validationKey: string | undefined): void {
  if (validationKey !== undefined || settings(ws).requireValidationKey) {
    if (!validationKey || !VALIDATION_KEY.test(validationKey)) throw dolistError('13', 'ValidationKey is not a valid reCAPTCHA answer', 'ValidationKey');
  }
  const e = email.trim().toLowerCase();
  const user = usersTable(ws)
    .all()
    .find((u) => u.Email.toLowerCase() === e);
  if (!user) return;
  const nowMs = ws.now();
  const now = new Date(nowMs).toISOString();
  const t = passwordTokensTable(ws);
  for (const old of t.all()) {
    if (old.UserID !== user.ID || old.UsedAt || old.SupersededAt) continue;
    const w = t.get(old.id)!;
    w.SupersededAt = now;
    t.touch(w);
  }
  const token = ws.rng.hex(32);
  const expiresAt = new Date(nowMs + (settings(ws).tokenTtlMs ?? 86_400_000)).toISOString();
  t.put({ id: token, UserID: user.ID, CreateDate: now, ExpiresAt: expiresAt, UsedAt: null, SupersededAt: null });
  ws.emit(API_ID, 'user.password_token', { UserID: user.ID, Email: user.Email, Token: token, ExpiresAt: expiresAt });
}

/** Sets the password with a live token and spends it. The current password again is 500 [905]. */
export function resetPassword(ws: Workspace, token: string, password: string): UserRec {
  const t = passwordTokensTable(ws);
  const rec = t.peek(token);
  const user = rec ? usersTable(ws).peek(String(rec.UserID)) : undefined;
  if (!rec || !user) throw dolistError('903', 'no such token', 'Token');
  if (rec.UsedAt) throw dolistError('903', `the token was used at ${rec.UsedAt}`, 'Token');
  if (rec.SupersededAt) throw dolistError('903', `a newer renewal replaced the token at ${rec.SupersededAt}`, 'Token');
  if (Date.parse(rec.ExpiresAt) <= ws.now()) throw dolistError('903', `the token expired at ${rec.ExpiresAt}`, 'Token');
  checkPasswordRules(password);
  if (!user.IsActive) throw dolistError('905', `user ${user.ID} is not active`, 'Token');
  const hash = passwordHash(user.ID, password);
  if (user.PasswordHash === hash) throw dolistError('905', 'the new password is the current one', 'Password');
  const now = new Date(ws.now()).toISOString();
  const w = t.get(token)!;
  w.UsedAt = now;
  t.touch(w);
  const u = usersTable(ws).get(String(user.ID))!;
  u.PasswordHash = hash;
  u.UpdateDate = now;
  return usersTable(ws).touch(u);
}
