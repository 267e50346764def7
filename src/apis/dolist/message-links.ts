// The links of an email message, extracted from the `<a href>` of its Html (research part 2 §4.1
// M8). Each gets a type: Unsubscribe (an `[[UNSUBSCRIBE]]`-like variable, or a URL whose path
// names unsubscribe / desabonnement / desinscription), Mirror (a `[[MIRROR]]`-like variable, or a
// URL naming mirror / miroir: the "view online" copy), else Tracked. Re-extraction keeps a link
// whose URL did not change (its LinkID, name, tracking and interests); LinkIDs come from one
// workspace-wide sequence, since the tracking route names a link by its LinkID alone.
import { nextInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Workspace } from '../../core/workspace.js';
import type { MessageLink, MessageRec } from './messages.js';
import { API_ID } from './style.js';

const ANCHOR = /<a\b([^>]*?)\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const TITLE = /\btitle\s*=\s*("([^"]*)"|'([^']*)')/i;

export function classifyLink(url: string): 'Tracked' | 'Unsubscribe' | 'Mirror' {
  const u = url.trim();
  if (/^\[\[\s*(unsubscribe|desabonnement|desinscription)[^\]]*\]\]$|^\{\{\s*unsubscribe/i.test(u)) return 'Unsubscribe';
  if (/^\[\[\s*(mirror|miroir)[^\]]*\]\]$|^\{\{\s*mirror/i.test(u)) return 'Mirror';
  if (/unsubscribe|d[ée]sabonnement|d[ée]sinscription/i.test(u)) return 'Unsubscribe';
  if (/mirror|miroir/i.test(u)) return 'Mirror';
  return 'Tracked';
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The anchors of `html` worth a link: every href but mail, phone and in-page ones. */
export function anchorsOf(html: string): Array<{ url: string; name: string | null }> {
  const out: Array<{ url: string; name: string | null }> = [];
  for (const m of html.matchAll(ANCHOR)) {
    const url = decode((m[3] ?? m[4] ?? m[5] ?? '').trim());
    if (!url || /^(mailto:|tel:|sms:|#|javascript:)/i.test(url)) continue;
    const title = TITLE.exec(`${m[1]} ${m[6]}`);
    const text = m[7].replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    out.push({ url, name: (title ? title[2] ?? title[3] : text) || null });
  }
  return out;
}

export const newLinkId = (ws: Workspace) => nextInSequence(ws, sequenceKey(API_ID, 'message_links'), 1);

/** The message's links for new Html: unchanged URLs keep their link, each URL once (first anchor). */
export function extractLinks(ws: Workspace, html: string | null | undefined, previous: MessageLink[]): MessageLink[] {
  const byUrl = new Map(previous.map((l) => [l.Url, l]));
  const seen = new Set<string>();
  const out: MessageLink[] = [];
  for (const a of anchorsOf(html ?? '')) {
    if (seen.has(a.url)) continue;
    seen.add(a.url);
    const kept = byUrl.get(a.url);
    if (kept) {
      out.push({ ...kept, InterestIDList: [...kept.InterestIDList] });
      continue;
    }
    const type = classifyLink(a.url);
    out.push({ LinkID: newLinkId(ws), Url: a.url, Name: a.name, LinkType: type, IsTracked: type === 'Tracked', InterestIDList: [] });
  }
  return out;
}

/** Copies of the links with new LinkIDs (a duplicated message's). */
export function copyLinks(ws: Workspace, links: MessageLink[]): MessageLink[] {
  return links.map((l) => ({ ...l, LinkID: newLinkId(ws), InterestIDList: [...l.InterestIDList] }));
}

/** A link of the message, or undefined. */
export const linkOf = (m: Pick<MessageRec, 'Links'>, linkId: number) => (m.Links ?? []).find((l) => l.LinkID === linkId);

/** The message of the account holding link `linkId` (read-only), or undefined. */
export function messageOfLink(ws: Workspace, account: string, linkId: number): MessageRec | undefined {
  return ws
    .table<MessageRec>(API_ID, 'messages')
    .lookup('account', account)
    .find((m) => m.Channel === 'email' && (m.Links ?? []).some((l) => l.LinkID === linkId));
}
