// Breakdowns of a sending's statistics at a time t: per recipient domain (from the addresses),
// per link and per interest group (from clicks: a click on a link carrying interests counts for
// those interests and their groups), per user agent (browser, OS, device of the opens or clicks).
// Clicks drawn by the engine carry no link and opens no user agent: they are attributed
// deterministically (a stable hash of the recipient, no randomness) to one of the message's
// tracked links and to one of the fixtures' `statisticsUserAgents`; tracking events (the
// tracking endpoint, injections) carry their own. Pure functions of the records.
import type { Workspace } from '../../core/workspace.js';
import { findGroup, findInterest } from './interests.js';
import { findMessage, type MessageLink } from './messages.js';
import type { SendingRec } from './sendings.js';
import { countersAt, indicatorList, type Happening, type Indicator } from './statistics.js';
import { dolistFixtures } from './style.js';

/** A stable 32-bit hash (FNV-1a) of a string. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const domainOf = (address: string) => {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase() : '';
};

/** Per recipient domain: the requested indicators, the domains by TargetCount then name. */
export function domainStatistics(happenings: Happening[], t: number, ids: Indicator[]) {
  const byDomain = new Map<string, Happening[]>();
  for (const h of happenings) {
    const d = domainOf(h.r.Address);
    const list = byDomain.get(d);
    if (list) list.push(h);
    else byDomain.set(d, [h]);
  }
  return [...byDomain.entries()]
    .map(([Domain, hs]) => ({ Domain, counters: countersAt('email', hs, t) }))
    .sort((a, b) => b.counters.TargetCount - a.counters.TargetCount || a.Domain.localeCompare(b.Domain))
    .map(({ Domain, counters }) => ({ Domain, IndicatorList: indicatorList(counters, ids) }));
}

/** The links clicks may be attributed to: the message's tracked links. */
function trackedLinks(ws: Workspace, s: SendingRec): MessageLink[] {
  const m = findMessage(ws, s.account, 'email', s.MessageID);
  return m ? m.Links.filter((l) => l.IsTracked) : [];
}

/** The link of a click happening: its event's, else one of the tracked links by the recipient's hash. */
function linkOf(h: Happening, links: MessageLink[]): number | null {
  if (h.link != null) return h.link;
  return links.length ? links[hash(h.r.id) % links.length].LinkID : null;
}

interface ClickCount {
  Clicks: number;
  UniqueClicks: number;
}

/** Clicks and distinct clicking recipients per link at t. */
function clicksPerLink(happenings: Happening[], t: number, links: MessageLink[]): Map<number, ClickCount> {
  const out = new Map<number, { clicks: number; who: Set<string> }>();
  for (const h of happenings) {
    if (h.ind !== 'Clicks' || h.at > t) continue;
    const link = linkOf(h, links);
    if (link === null) continue;
    const c = out.get(link) ?? { clicks: 0, who: new Set<string>() };
    c.clicks += h.n;
    c.who.add(h.r.id);
    out.set(link, c);
  }
  return new Map([...out.entries()].map(([k, v]) => [k, { Clicks: v.clicks, UniqueClicks: v.who.size }]));
}

/** Every link of the message (then links only events name), with its clicks at t. */
export function linkStatistics(ws: Workspace, s: SendingRec, happenings: Happening[], t: number) {
  const m = findMessage(ws, s.account, 'email', s.MessageID);
  const links = m?.Links ?? [];
  const counts = clicksPerLink(happenings, t, trackedLinks(ws, s));
  const items = links.map((l) => ({ LinkID: l.LinkID, Url: l.Url, Name: l.Name, LinkType: l.LinkType, IsTracked: l.IsTracked, ...(counts.get(l.LinkID) ?? { Clicks: 0, UniqueClicks: 0 }) }));
  for (const [LinkID, c] of counts) if (!links.some((l) => l.LinkID === LinkID)) items.push({ LinkID, Url: null as unknown as string, Name: null, LinkType: 'Unknown', IsTracked: true, ...c });
  return items;
}

/** The interest groups of the interests on the message's links, with the clicks each interest got at t. */
export function groupInterestStatistics(ws: Workspace, s: SendingRec, happenings: Happening[], t: number) {
  const m = findMessage(ws, s.account, 'email', s.MessageID);
  const links = m?.Links ?? [];
  const tracked = trackedLinks(ws, s);
  // Distinct clicking recipients per interest need the recipients, not only per-link counts.
  const perInterest = new Map<number, { clicks: number; who: Set<string> }>();
  const interestsOfLink = new Map(links.map((l) => [l.LinkID, l.InterestIDList ?? []]));
  for (const l of links) for (const i of l.InterestIDList ?? []) if (!perInterest.has(i)) perInterest.set(i, { clicks: 0, who: new Set() });
  for (const h of happenings) {
    if (h.ind !== 'Clicks' || h.at > t) continue;
    const link = linkOf(h, tracked);
    for (const i of (link !== null && interestsOfLink.get(link)) || []) {
      const c = perInterest.get(i)!;
      c.clicks += h.n;
      c.who.add(h.r.id);
    }
  }
  const groups = new Map<number, { GroupID: number; Name: string; who: Set<string>; Clicks: number; InterestList: Array<{ InterestID: number; Name: string; Clicks: number; UniqueClicks: number }> }>();
  for (const [interestId, c] of [...perInterest.entries()].sort((a, b) => a[0] - b[0])) {
    const interest = findInterest(ws, s.account, interestId);
    const group = interest && findGroup(ws, s.account, interest.GroupID);
    if (!interest || !group) continue;
    const g = groups.get(group.ID) ?? { GroupID: group.ID, Name: group.Name, who: new Set<string>(), Clicks: 0, InterestList: [] };
    g.InterestList.push({ InterestID: interest.ID, Name: interest.Name, Clicks: c.clicks, UniqueClicks: c.who.size });
    g.Clicks += c.clicks;
    for (const w of c.who) g.who.add(w);
    groups.set(group.ID, g);
  }
  return [...groups.values()].sort((a, b) => a.GroupID - b.GroupID).map(({ who, ...g }) => ({ ...g, UniqueClicks: who.size }));
}

export const UA_CATEGORIES = { browser: 'Browser', os: 'OS', device: 'Device' } as const;
export const UA_REQUEST_TYPES = { open: 'Open', click: 'Click' } as const;
export type UaCategory = keyof typeof UA_CATEGORIES;

/** What a user agent string says of the browser (or mail client), OS and device. */
export function classifyUserAgent(ua: string | null): Record<UaCategory, string> {
  if (!ua) return { browser: 'Unknown', os: 'Unknown', device: 'Unknown' };
  const has = (re: RegExp) => re.test(ua);
  const browser = has(/GoogleImageProxy/i)
    ? 'Gmail'
    : has(/Microsoft Outlook|ms-office|Outlook/i)
      ? 'Outlook'
      : has(/Thunderbird/i)
        ? 'Thunderbird'
        : has(/Edg\//)
          ? 'Edge'
          : has(/Firefox\//)
            ? 'Firefox'
            : has(/Chrome\//)
              ? 'Chrome'
              : has(/Safari\//)
                ? 'Safari'
                : has(/AppleWebKit/)
                  ? 'Apple Mail'
                  : 'Other';
  const os = has(/iPhone|iPad|iPod/) ? 'iOS' : has(/Android/) ? 'Android' : has(/Windows/) ? 'Windows' : has(/Mac OS X|Macintosh/) ? 'macOS' : has(/Linux/) ? 'Linux' : has(/GoogleImageProxy/i) ? 'Web' : 'Other';
  const device = has(/iPad|Tablet/) ? 'Tablet' : has(/Mobile|iPhone|Android/) ? 'Mobile' : has(/GoogleImageProxy/i) ? 'Webmail' : 'Desktop';
  return { browser, os, device };
}

/** The user agent of an open/click happening: its event's, else one of the fixtures' by a stable hash. */
function userAgentOf(ws: Workspace, h: Happening): string | null {
  if (h.ua) return h.ua;
  const list = (dolistFixtures(ws).statisticsUserAgents as string[] | undefined) ?? [];
  return list.length ? list[hash(`${h.r.id}|${h.ind}|${h.at}`) % list.length] : null;
}

/** Opens (or clicks) at t per browser / OS / device name, with each name's share in percent. */
export function userAgentStatistics(ws: Workspace, happenings: Happening[], t: number, requestType: keyof typeof UA_REQUEST_TYPES, category: UaCategory) {
  const ind = requestType === 'open' ? 'Opens' : 'Clicks';
  const counts = new Map<string, number>();
  let total = 0;
  for (const h of happenings) {
    if (h.ind !== ind || h.at > t) continue;
    const name = classifyUserAgent(userAgentOf(ws, h))[category];
    counts.set(name, (counts.get(name) ?? 0) + h.n);
    total += h.n;
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([Name, Count]) => ({ Name, Count, Percentage: total ? Math.round((Count / total) * 10_000) / 100 : 0 }));
}
