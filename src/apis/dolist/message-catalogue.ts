// The messages area's reference lists (fixtures `messageCatalogue`, read-only): link types,
// email and SMS encodings, email formats, cultures (with each culture's SMS opt-out key value,
// behind [223]) and the limits a send checks (SMS segments [724], content size [725]).
import type { Workspace } from '../../core/workspace.js';
import { findAccount } from './accounts.js';
import { dolistFixtures } from './style.js';

export interface Reference {
  ID: number;
  Name: string;
}

export interface CultureEntry {
  ID: number;
  /** What a message's Culture holds (`fr-FR`). */
  Code: string;
  Name: string;
  /** The culture's SMS opt-out key value; null: none (an SMS check fails with [223]). */
  SmsStopText: string | null;
}

export interface MessageCatalogue {
  linkTypes: Reference[];
  emailEncodings: Reference[];
  smsEncodings: Reference[];
  emailFormats: Reference[];
  cultures: CultureEntry[];
  limits: { maxSmsSegments: number; maxContentBytes: number };
}

export const messageCatalogue = (ws: Workspace) => dolistFixtures(ws).messageCatalogue as MessageCatalogue;

/** The culture of a code (case-insensitive), or undefined. */
export function findCulture(ws: Workspace, code: string | null | undefined): CultureEntry | undefined {
  const c = String(code ?? '').toLowerCase();
  return messageCatalogue(ws).cultures.find((x) => x.Code.toLowerCase() === c);
}

/** A new message's culture: the account's when the catalogue has it, else the first one. */
export function defaultCulture(ws: Workspace, account: string): string {
  const acc = findAccount(ws, Number(account));
  const known = acc?.Culture ? findCulture(ws, acc.Culture) : undefined;
  return known?.Code ?? messageCatalogue(ws).cultures[0].Code;
}

/** The link type named (any case) or numbered, as the catalogue spells it. */
export function linkTypeName(ws: Workspace, v: string): string | undefined {
  const s = v.trim().toLowerCase();
  return messageCatalogue(ws).linkTypes.find((t) => t.Name.toLowerCase() === s || String(t.ID) === s)?.Name;
}

/** The SMS encoding id of an encoding name (GSM-7 / UCS-2). */
export function smsEncodingId(ws: Workspace, encoding: string): number {
  return messageCatalogue(ws).smsEncodings.find((e) => e.Name === encoding)?.ID ?? 0;
}
