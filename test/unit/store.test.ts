// Workspace persistence in a temporary data directory: the write-behind log, replay on reopen,
// a torn last write, compaction into a snapshot (chunked, with writes during it), export/import
// of documents, file housekeeping. No real-clock waits: flushes are forced, or the write-behind
// timer is driven by fake timers.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DocStore, isValidWorkspaceId, Store, type StoreOptions } from '../../src/core/store.js';

let dir: string;
let open: Array<{ store: Store; docs: DocStore[] }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commsim-store-'));
  open = [];
});

afterEach(async () => {
  vi.useRealTimers();
  for (const o of open) {
    for (const d of o.docs) await d.close();
    o.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function openDoc(id = 'ws1', opts: Partial<StoreOptions> = {}): Promise<{ store: Store; doc: DocStore }> {
  const store = new Store({ dir, ...opts });
  const doc = await store.open(id);
  open.push({ store, docs: [doc] });
  return { store, doc };
}

/** Closes the store (flushing) so that the directory can be opened again. */
async function closeAll(): Promise<void> {
  for (const o of open) {
    for (const d of o.docs) await d.close();
    o.store.close();
  }
  open = [];
}

const files = () => readdirSync(dir).sort();
const ids = (doc: DocStore, table = 't') => [...doc.table(table).scan()].map((r) => r.id);

describe('workspace ids', () => {
  it('letters, digits, - and _, starting with a letter or digit, at most 64', () => {
    expect(isValidWorkspaceId('ws_1-a')).toBe(true);
    expect(isValidWorkspaceId('a'.repeat(64))).toBe(true);
    expect(isValidWorkspaceId('a'.repeat(65))).toBe(false);
    expect(isValidWorkspaceId('-a')).toBe(false);
    expect(isValidWorkspaceId('a.b')).toBe(false);
    expect(isValidWorkspaceId('')).toBe(false);
  });
});

describe('memory stores', () => {
  it('keep everything in memory and write nothing', async () => {
    const store = new Store({ dir: null });
    expect(store.persistent).toBe(false);
    expect(store.persistedIds()).toEqual([]);
    const doc = await store.open('m');
    expect(doc.persistent).toBe(false);
    doc.table('t').put({ id: 'a' });
    doc.setMeta('k', 1);
    expect(doc.table('t').dirty.size).toBe(0);
    doc.flush();
    await doc.written();
    await doc.compact();
    expect(doc.toDocument()).toMatchObject({ format: 'commsim-workspace', version: 1, meta: { k: 1 }, tables: { t: [{ id: 'a' }] } });
    await doc.close();
    doc.destroy();
    store.close();
  });
});

describe('write-behind log', () => {
  it('a flush appends whole-record upserts, deletes and meta values; reopening replays them', async () => {
    const { doc } = await openDoc();
    expect(doc.persistent).toBe(true);
    const t = doc.table('t');
    const a = t.put({ id: 'a', v: 1, nested: { deep: [1, 2] } });
    t.put({ id: 'b', v: 2 });
    t.put({ id: 'c', v: 3 });
    doc.setMeta('counter', { n: 1 });
    doc.flush();
    await doc.written();
    const log = files().find((f) => f.endsWith('.log'))!;
    expect(log).toBe('ws1.1.log');
    const lines = readFileSync(join(dir, log), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { t: 't', p: { id: 'a', v: 1, nested: { deep: [1, 2] } } },
      { t: 't', p: { id: 'b', v: 2 } },
      { t: 't', p: { id: 'c', v: 3 } },
      { m: 'counter', v: { n: 1 } },
    ]);
    a.v = 10;
    t.touch(a);
    t.remove('b');
    doc.getMeta<{ n: number }>('counter')!.n = 2;
    doc.touchMeta('counter');
    doc.flush();
    await doc.written();
    doc.flush(); // nothing pending: nothing written
    await doc.written();
    expect(readFileSync(join(dir, log), 'utf8').trim().split('\n')).toHaveLength(7);
    await closeAll();

    const { doc: again } = await openDoc();
    expect(ids(again)).toEqual(['a', 'c']);
    expect(again.table('t').peek('a')).toEqual({ id: 'a', v: 10, nested: { deep: [1, 2] } });
    expect(again.getMeta('counter')).toEqual({ n: 2 });
    expect(again.tableNames()).toEqual(['t']);
    // Nothing replayed is dirty; the next writes go to a new generation.
    expect(again.table('t').dirty.size).toBe(0);
    again.table('t').put({ id: 'd' });
    again.flush();
    await again.written();
    expect(files()).toContain('ws1.2.log');
  });

  it('the write-behind timer flushes after flushMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { doc } = await openDoc('ws1', { flushMs: 100 });
    doc.table('t').put({ id: 'a' });
    doc.table('t').put({ id: 'b' });
    expect(files().filter((f) => f.endsWith('.log'))).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(files().filter((f) => f.endsWith('.log'))).toEqual([]);
    vi.advanceTimersByTime(1);
    await doc.written();
    expect(readFileSync(join(dir, 'ws1.1.log'), 'utf8').trim().split('\n')).toHaveLength(2);
    // A forced flush cancels a pending timer.
    doc.table('t').put({ id: 'c' });
    doc.flush();
    await doc.written();
    vi.advanceTimersByTime(1000);
    await doc.written();
    expect(readFileSync(join(dir, 'ws1.1.log'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('options given as undefined keep their defaults (100 ms write-behind, 32 MiB compaction)', async () => {
    // The runtime passes the CLI's options through; an absent flag arrives as `undefined`.
    const store = new Store({ dir, flushMs: undefined, compactBytes: undefined });
    expect(store.opts.flushMs).toBe(100);
    expect(store.opts.compactBytes).toBe(32 * 1024 * 1024);
    store.close();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { doc } = await openDoc('ws1', { flushMs: undefined });
    doc.table('t').put({ id: 'a' });
    vi.advanceTimersByTime(50);
    expect(files().filter((f) => f.endsWith('.log'))).toEqual([]);
    vi.advanceTimersByTime(50);
    await doc.written();
    expect(files()).toContain('ws1.1.log');
  });

  it('nothing is written while a transaction is open (it may still be undone)', async () => {
    const { doc } = await openDoc();
    const t = doc.table('t');
    t.put({ id: 'kept' });
    doc.flush();
    await doc.written();
    const tx = doc.begin();
    t.put({ id: 'undone' });
    doc.flush();
    await doc.written();
    expect(readFileSync(join(dir, 'ws1.1.log'), 'utf8')).not.toContain('undone');
    doc.rollback(tx);
    doc.flush();
    await doc.written();
    const tx2 = doc.begin();
    t.put({ id: 'committed' });
    doc.commit(tx2);
    doc.flush();
    await doc.written();
    await closeAll();
    const { doc: again } = await openDoc();
    expect(ids(again)).toEqual(['kept', 'committed']);
  });

  it('a timer that fires inside a transaction writes the changes once it is over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { doc } = await openDoc('ws1', { flushMs: 100 });
    doc.table('t').put({ id: 'a' });
    const tx = doc.begin();
    vi.advanceTimersByTime(100);
    expect(files().filter((f) => f.endsWith('.log'))).toEqual([]);
    doc.commit(tx);
    vi.advanceTimersByTime(100);
    await doc.written();
    expect(readFileSync(join(dir, 'ws1.1.log'), 'utf8')).toContain('"a"');
  });

  it('a meta key created and then undone is logged as deleted: reopened, it is absent', async () => {
    const { doc } = await openDoc();
    doc.setMeta('kept', 1);
    doc.flush();
    await doc.written();
    const tx = doc.begin();
    doc.setMeta('undone', { n: 1 });
    doc.rollback(tx);
    doc.flush();
    await doc.written();
    await closeAll();
    const { doc: again } = await openDoc();
    expect(again.getMeta('kept')).toBe(1);
    expect(again.getMeta('undone')).toBeUndefined();
  });

  it('appends land in order off the request thread; a destroy with one in flight leaves no file', async () => {
    const { doc } = await openDoc();
    const t = doc.table('t');
    for (let i = 0; i < 5; i++) {
      t.put({ id: `r${i}` });
      doc.flush();
    }
    await doc.written();
    const order = readFileSync(join(dir, 'ws1.1.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).p.id);
    expect(order).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    t.put({ id: 'late' });
    doc.flush(); // in flight
    doc.destroy();
    await doc.written();
    expect(files().filter((f) => f.startsWith('ws1.'))).toEqual([]);
  });

  it('a torn last write (the log cut mid-record) recovers to the last complete record', async () => {
    const { doc } = await openDoc();
    const t = doc.table('t');
    t.put({ id: 'a', v: 1 });
    doc.flush();
    await doc.written();
    t.put({ id: 'b', v: 2 });
    const a = t.get('a')!;
    a.v = 'changed';
    t.touch(a);
    t.put({ id: 'c', v: 'x'.repeat(50) });
    doc.flush();
    await doc.written();
    await closeAll();
    const path = join(dir, 'ws1.1.log');
    const text = readFileSync(path, 'utf8');
    // Cut in the middle of the last line (the record `c`).
    truncateSync(path, text.length - 30);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(false);

    const { doc: again } = await openDoc();
    expect(ids(again)).toEqual(['a', 'b']);
    expect(again.table('t').peek('a')!.v).toBe('changed');
    // Later writes go to a fresh log, never after the torn line.
    again.table('t').put({ id: 'd' });
    again.flush();
    await again.written();
    await closeAll();
    expect(readFileSync(join(dir, 'ws1.2.log'), 'utf8')).toBe('{"t":"t","p":{"id":"d"}}\n');
    const { doc: third } = await openDoc();
    expect(ids(third)).toEqual(['a', 'b', 'd']);
  });

  it('garbage and unknown lines are skipped; blank lines too', async () => {
    writeFileSync(join(dir, 'ws1.0.log'), ['{"t":"t","p":{"id":"a"}}', '', 'not json', '{"x":1}', '{"t":"t","d":"zzz"}', '{"t":"t","p":{"id":"b"}}', '{"t":"t","d":"a"}', '{"m":"k","v":[1]}'].join('\n'));
    const { doc } = await openDoc();
    expect(ids(doc)).toEqual(['b']);
    expect(doc.getMeta('k')).toEqual([1]);
  });

  it('close flushes and stops; the store stays readable; destroy deletes the files', async () => {
    const { store, doc } = await openDoc();
    doc.table('t').put({ id: 'a' });
    await doc.close();
    expect(files()).toContain('ws1.1.log');
    // After close, writes are kept in memory only.
    doc.table('t').put({ id: 'late' });
    doc.flush();
    await doc.written();
    expect(readFileSync(join(dir, 'ws1.1.log'), 'utf8')).not.toContain('late');
    expect(ids(doc)).toEqual(['a', 'late']);
    await doc.compact();
    expect(store.persistedIds()).toEqual(['ws1']);
    doc.destroy();
    expect(files().filter((f) => f.startsWith('ws1'))).toEqual([]);
    expect(store.persistedIds()).toEqual([]);
  });
});

describe('compaction', () => {
  it('writes a snapshot tagged with the next generation and removes the logs it contains', async () => {
    const { doc } = await openDoc();
    const t = doc.table('t');
    for (let i = 0; i < 5; i++) t.put({ id: `r${i}`, i });
    doc.setMeta('k', 'v');
    doc.flush();
    await doc.written();
    t.remove('r0');
    await doc.compact();
    expect(files()).toEqual(['commsim.lock', 'ws1.json']);
    const snap = JSON.parse(readFileSync(join(dir, 'ws1.json'), 'utf8'));
    expect(snap).toMatchObject({ format: 'commsim-workspace', version: 1, gen: 2, meta: { k: 'v' } });
    expect(snap.tables.t.map((r: { id: string }) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    t.put({ id: 'after' });
    doc.flush();
    await doc.written();
    expect(files()).toEqual(['commsim.lock', 'ws1.2.log', 'ws1.json']);
    await closeAll();
    const { doc: again } = await openDoc();
    expect(ids(again)).toEqual(['r1', 'r2', 'r3', 'r4', 'after']);
    expect(again.getMeta('k')).toBe('v');
  });

  it('a log past compactBytes compacts by itself', async () => {
    const { doc } = await openDoc('ws1', { compactBytes: 300 });
    const t = doc.table('t');
    for (let i = 0; i < 3; i++) t.put({ id: `r${i}` });
    doc.flush();
    await doc.written();
    expect(existsSync(join(dir, 'ws1.json'))).toBe(false);
    for (let i = 3; i < 20; i++) t.put({ id: `r${i}`, pad: 'x'.repeat(20) });
    doc.flush();
    await doc.written();
    await doc.close(); // waits for the compaction
    expect(existsSync(join(dir, 'ws1.json'))).toBe(true);
    expect(files().filter((f) => f.endsWith('.log'))).toEqual([]);
    await closeAll();
    const { doc: again } = await openDoc();
    expect(ids(again)).toHaveLength(20);
  });

  it('big tables are written in chunks; writes made during the compaction are kept', async () => {
    const { doc } = await openDoc();
    const t = doc.table('t');
    for (let i = 0; i < 4500; i++) t.put({ id: `r${i}`, v: i });
    doc.table('empty').put({ id: 'gone' });
    doc.table('empty').remove('gone');
    doc.flush();
    await doc.written();
    const p = doc.compact();
    // The compaction is under way (the snapshot is written asynchronously).
    t.put({ id: 'during', v: -1 });
    const r1 = t.get('r1')!;
    r1.v = 'changed during';
    t.touch(r1);
    t.remove('r2');
    const chained = doc.compact();
    await p;
    await chained;
    await closeAll();
    const snap = JSON.parse(readFileSync(join(dir, 'ws1.json'), 'utf8'));
    expect(Object.keys(snap.tables)).toEqual(['t']);
    const { doc: again } = await openDoc();
    const rows = again.table('t');
    expect(rows.size).toBe(4500);
    expect(rows.peek('during')!.v).toBe(-1);
    expect(rows.peek('r1')!.v).toBe('changed during');
    expect(rows.has('r2')).toBe(false);
    expect(rows.peek('r4499')!.v).toBe(4499);
  });

  it('logs older than the snapshot are not replayed, and are removed on load', async () => {
    const { doc } = await openDoc();
    doc.table('t').put({ id: 'a' });
    await doc.compact(); // snapshot gen 2
    await closeAll();
    writeFileSync(join(dir, 'ws1.1.log'), '{"t":"t","p":{"id":"ghost"}}\n');
    appendFileSync(join(dir, 'ws1.2.log'), '{"t":"t","p":{"id":"b"}}\n');
    const { doc: again } = await openDoc();
    expect(ids(again)).toEqual(['a', 'b']);
    expect(files()).not.toContain('ws1.1.log');
  });
});

describe('documents', () => {
  it('toDocument exports non-empty tables and the meta values', async () => {
    const { doc } = await openDoc();
    doc.table('t').put({ id: 'a', v: 1 });
    doc.table('empty');
    doc.setMeta('k', 2);
    const d = doc.toDocument();
    expect(d).toEqual({ format: 'commsim-workspace', version: 1, gen: 1, meta: { k: 2 }, tables: { t: [{ id: 'a', v: 1 }] } });
    expect(doc.tableNames()).toEqual(['t']);
  });

  it('replaceWith imports a copy, persists it at once and drops the old state', async () => {
    const { doc } = await openDoc();
    doc.table('old').put({ id: 'x' });
    doc.setMeta('old', 1);
    doc.flush();
    await doc.written();
    const imported = { meta: { k: { deep: 1 } }, tables: { t: [{ id: 'a', v: [1] }, { id: 'b' }] } };
    await doc.replaceWith(imported);
    imported.tables.t[0].v.push(2);
    imported.meta.k.deep = 99;
    expect(doc.table('t').peek('a')).toEqual({ id: 'a', v: [1] });
    expect(doc.getMeta('k')).toEqual({ deep: 1 });
    expect(doc.getMeta('old')).toBeUndefined();
    expect(doc.tableNames()).toEqual(['t']);
    expect(files()).toEqual(['commsim.lock', 'ws1.json']);
    await closeAll();
    const { doc: again } = await openDoc();
    expect(again.tableNames()).toEqual(['t']);
    expect(ids(again)).toEqual(['a', 'b']);
    expect(again.getMeta('old')).toBeUndefined();
  });

  it('replaceWith is refused inside a transaction; a document without meta or tables empties the store', async () => {
    const { doc } = await openDoc();
    doc.table('t').put({ id: 'a' });
    const tx = doc.begin();
    await expect(doc.replaceWith({ meta: {}, tables: {} })).rejects.toThrow(/inside a transaction/);
    doc.rollback(tx);
    await doc.replaceWith({} as never);
    expect(doc.tableNames()).toEqual([]);
  });
});

describe('Store', () => {
  it('lists the workspaces persisted in the data directory', async () => {
    const store = new Store({ dir });
    open.push({ store, docs: [] });
    for (const f of ['a.json', 'b.3.log', 'b.json', 'bad id.json', 'c.x.log', 'd.json.123.tmp', 'notes.txt']) writeFileSync(join(dir, f), '');
    expect(store.persistedIds()).toEqual(['a', 'b']);
    expect(store.opts).toMatchObject({ flushMs: 100, compactBytes: 32 * 1024 * 1024 });
    expect(store.persistent).toBe(true);
  });

  it('creates a missing data directory', async () => {
    const nested = join(dir, 'a', 'b');
    const store = new Store({ dir: nested });
    expect(existsSync(join(nested, 'commsim.lock'))).toBe(true);
    store.close();
    expect(existsSync(join(nested, 'commsim.lock'))).toBe(false);
  });
});
