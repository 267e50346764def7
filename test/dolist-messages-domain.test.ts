// Domain functions of the Dolist messages area, without HTTP: link extraction and types, the
// analyzers, the recipients' KeyCodes, and checkMessageReady's order and thresholds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeEmail, analyzeSms } from '../src/apis/dolist/message-analysis.js';
import { checkMessageReady } from '../src/apis/dolist/message-checks.js';
import { createEmailMessage, createSmsMessage, setLinkInterests } from '../src/apis/dolist/message-editing.js';
import { usageItems } from '../src/apis/dolist/usage.js';
import { anchorsOf, classifyLink, extractLinks } from '../src/apis/dolist/message-links.js';
import { personalize, recipientKeyCode } from '../src/apis/dolist/message-tracking.js';
import { createContact } from '../src/apis/dolist/contacts.js';
import { messagesTable } from '../src/apis/dolist/messages.js';
import type { Workspace } from '../src/core/workspace.js';
import { startApp, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  // The suite reaches into the server (c.app.runtime): one instance, also on the Redis store.
  c = await startApp({ solo: true });
});
afterAll(async () => {
  await c.close();
});

async function ws(id: string): Promise<Workspace> {
  await c.sim('POST', '/workspaces', { id, clock: { mode: 'manual', now: '2026-03-02T09:00:00Z' }, scenario: { name: 'x', fixtures: { dolist: { contactBase: { '10001': 0, '10002': 0 } } } } });
  return c.app.runtime.require(id);
}

const codeOf = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { details: { code: string } }).details.code;
  }
};

describe('links', () => {
  it('classifies unsubscribe and mirror variables and URLs, everything else tracked', () => {
    expect(classifyLink('[[UNSUBSCRIBE]]')).toBe('Unsubscribe');
    expect(classifyLink('[[ unsubscribe_link ]]')).toBe('Unsubscribe');
    expect(classifyLink('[[DESABONNEMENT]]')).toBe('Unsubscribe');
    expect(classifyLink('https://x.example/desinscription?id=1')).toBe('Unsubscribe');
    expect(classifyLink('[[MIRROR]]')).toBe('Mirror');
    expect(classifyLink('https://x.example/miroir')).toBe('Mirror');
    expect(classifyLink('https://x.example/shop')).toBe('Tracked');
  });

  it('reads anchors with any quoting, their title or text, and skips mail, phone and in-page links', () => {
    const html = `<a class="b" href='https://a.example/1' title="First">x</a><A HREF=https://a.example/2><b>Bold</b>  text</A><a href="mailto:x@y.z">m</a><a href="#top">t</a><a href="tel:+33">p</a><a href="https://a.example/3?a=1&amp;b=2"></a>`;
    expect(anchorsOf(html)).toEqual([
      { url: 'https://a.example/1', name: 'First' },
      { url: 'https://a.example/2', name: 'Bold text' },
      { url: 'https://a.example/3?a=1&b=2', name: null },
    ]);
  });

  it('keeps a link whose URL did not change, once per URL, and numbers new ones workspace-wide', async () => {
    const w = await ws('dlmd-links');
    const first = extractLinks(w, '<a href="https://a.example/1">1</a><a href="https://a.example/1">again</a><a href="https://a.example/2">2</a>', []);
    expect(first.map((l) => l.Url)).toEqual(['https://a.example/1', 'https://a.example/2']);
    first[0].InterestIDList.push(5001);
    first[0].IsTracked = false;
    const second = extractLinks(w, '<a href="https://a.example/3">3</a><a href="https://a.example/1">1</a>', first);
    expect(second[1]).toMatchObject({ LinkID: first[0].LinkID, IsTracked: false, InterestIDList: [5001] });
    expect(second[0].LinkID).toBeGreaterThan(first[1].LinkID);
  });
});

describe('analyzers', () => {
  it('scores an email from its subject, text part, images and unsubscribe link', () => {
    const good = analyzeEmail({ Subject: 'Spring collection', Html: `<p>${'Lorem ipsum '.repeat(20)}</p><a href="[[UNSUBSCRIBE]]">u</a>`, Text: 'Lorem' });
    expect(good).toMatchObject({ SubjectLength: 17, HasTextPart: true, HasUnsubscribeLink: true, LinkCount: 1, SpamScore: 0, Warnings: [] });
    const bad = analyzeEmail({ Subject: 'FREE CASH', Html: '<img src="a"><img src="b">' });
    expect(bad).toMatchObject({ HasTextPart: false, HasUnsubscribeLink: false, ImageCount: 2 });
    expect(bad.SpamScore as number).toBeGreaterThanOrEqual(8);
  });

  it('counts an SMS in GSM-7 or UCS-2 segments', () => {
    expect(analyzeSms('a'.repeat(160))).toMatchObject({ Encoding: 'GSM-7', SegmentCount: 1 });
    expect(analyzeSms('a'.repeat(161))).toMatchObject({ Encoding: 'GSM-7', SegmentCount: 2 });
    expect(analyzeSms('é€[]'.repeat(40))).toMatchObject({ Encoding: 'GSM-7', SegmentCount: 2, CharacterCount: 160 });
    expect(analyzeSms('😀'.repeat(36))).toMatchObject({ Encoding: 'UCS-2', SegmentCount: 2 });
    expect(analyzeSms('')).toMatchObject({ SegmentCount: 0, HasStopMention: false });
    expect(analyzeSms('Promo STOP 36111').HasStopMention).toBe(true);
  });
});

describe('KeyCodes', () => {
  it('are stable for a workspace and differ between recipients and workspaces', async () => {
    const a = await ws('dlmd-key-a');
    const b = await ws('dlmd-key-b');
    expect(recipientKeyCode(a, 1, 2, 1)).toBe(recipientKeyCode(a, 1, 2, 1));
    expect(recipientKeyCode(a, 1, 2, 1)).not.toBe(recipientKeyCode(a, 1, 3, 1));
    expect(recipientKeyCode(a, 1, 2, 1)).not.toBe(recipientKeyCode(a, 1, 2, 2));
    expect(recipientKeyCode(a, 1, 2, 1)).not.toBe(recipientKeyCode(b, 1, 2, 1));
    expect(recipientKeyCode(a, 1, 2, 1)).toMatch(/^[0-9A-F]{24}$/);
  });
});

describe('checkMessageReady', () => {
  it('takes its SMS segment limit from the fixtures or the caller', async () => {
    const w = await ws('dlmd-check');
    w.table('dolist', 'sms_senders').put({ id: '1', ID: 1, account: '10001', Name: 'SHOP' });
    const m = createSmsMessage(w, '10001', { Name: 'Long', SenderID: 1, Text: `${'x'.repeat(300)} STOP` });
    expect(codeOf(() => checkMessageReady(w, m))).toBeUndefined();
    expect(codeOf(() => checkMessageReady(w, m, { maxSmsSegments: 1 }))).toBe('724');
    const e = createEmailMessage(w, '10001', { Name: 'E', Content: { Html: '<a href="[[UNSUBSCRIBE]]">u</a>' } });
    expect(codeOf(() => checkMessageReady(w, messagesTable(w).peek(e.id)!))).toBe('702');
  });
});

describe('createEmailMessage', () => {
  it('refuses a second name in the account and channel unless the caller allows it (transactional messages)', async () => {
    const w = await ws('dlmd-names');
    createEmailMessage(w, '10001', { Name: 'Transactional' });
    expect(codeOf(() => createEmailMessage(w, '10001', { Name: 'transactional' }))).toBe('709');
    const again = createEmailMessage(w, '10001', { Name: 'Transactional' }, { allowDuplicateName: true });
    expect(again.Name).toBe('Transactional');
    expect(codeOf(() => createSmsMessage(w, '10001', { Name: 'Transactional' }))).toBeUndefined();
  });
});

describe('tracked URLs', () => {
  it('carry the contact\'s values for their [[Variable]]s, URL-encoded', async () => {
    const w = await ws('dlmd-personalize');
    const ct = createContact(w, '10001', [{ ID: 7, Value: 'ana+x@shop.example' }, { ID: 3, Value: 'Ana Lou' }]);
    expect(personalize(w, '10001', 'https://a.example/?e=[[EMAIL]]&n=[[ Prenom ]]&u=[[UNSUBSCRIBE]]', ct.ID)).toBe('https://a.example/?e=ana%2Bx%40shop.example&n=Ana%20Lou&u=[[UNSUBSCRIBE]]');
    expect(personalize(w, '10001', 'https://a.example/?e=[[Email]]', 999)).toBe('https://a.example/?e=[[Email]]');
  });
});

describe('usage', () => {
  it('counts the interests (and their groups) of message links as used by the message', async () => {
    const w = await ws('dlmd-usage');
    const m = createEmailMessage(w, '10001', { Name: 'Uses', Content: { Html: '<a href="https://a.example">a</a>' } });
    setLinkInterests(w, messagesTable(w).get(m.id)!, m.Links[0].LinkID, 'Add', [5002]);
    expect(usageItems(w, 'interest', '10001', 5002, 2)).toEqual([{ ID: m.ID, Name: 'Uses' }]);
    expect(usageItems(w, 'group', '10001', 501, 2)).toEqual([{ ID: m.ID, Name: 'Uses' }]);
    expect(usageItems(w, 'interest', '10001', 5001, 2)).toEqual([]);
  });
});
