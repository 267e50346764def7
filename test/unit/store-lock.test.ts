// One server per data directory (the pid lock file), and the snapshot file adapter (atomic,
// chunked writes; reads of missing or broken snapshots).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUse, LOCK_FILE, lockDataDir } from '../../src/core/data-lock.js';
import { SnapshotFile, type WorkspaceDocument } from '../../src/core/snapshot-file.js';
import { Store } from '../../src/core/store.js';

let dir: string;
const releases: Array<() => void> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'commsim-lock-'));
});

afterEach(() => {
  for (const r of releases.splice(0)) r();
  rmSync(dir, { recursive: true, force: true });
});

const lockPath = () => join(dir, LOCK_FILE);
/** A pid no process has (above Linux's pid_max). */
const DEAD_PID = 2 ** 30;

describe('data directory lock', () => {
  it('writes our pid, refuses a second opener (DataDirInUse) and is released on close', () => {
    const first = new Store({ dir });
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
    let err: unknown;
    try {
      new Store({ dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirInUse);
    expect((err as DataDirInUse).pid).toBe(process.pid);
    expect((err as DataDirInUse).dir).toBe(dir);
    expect((err as Error).name).toBe('DataDirInUse');
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    first.close();
    first.close();
    expect(existsSync(lockPath())).toBe(false);
    const second = new Store({ dir });
    expect(existsSync(lockPath())).toBe(true);
    second.close();
  });

  it('a lock held by a live process is respected', () => {
    writeFileSync(lockPath(), '1');
    expect(() => lockDataDir(dir)).toThrow(DataDirInUse);
    expect(readFileSync(lockPath(), 'utf8')).toBe('1');
  });

  it('a lock left by a process that no longer runs, or unreadable, is taken over', () => {
    writeFileSync(lockPath(), String(DEAD_PID));
    releases.push(lockDataDir(dir));
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
    releases.pop()!();
    writeFileSync(lockPath(), 'garbage');
    releases.push(lockDataDir(dir));
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(process.pid));
  });

  it('release removes only our own lock, once, and drops its exit hook', () => {
    const hooks = process.listenerCount('exit');
    const release = lockDataDir(dir);
    expect(process.listenerCount('exit')).toBe(hooks + 1);
    // Another process took the directory meanwhile: its lock stays.
    writeFileSync(lockPath(), String(DEAD_PID));
    release();
    expect(process.listenerCount('exit')).toBe(hooks);
    expect(readFileSync(lockPath(), 'utf8')).toBe(String(DEAD_PID));
    rmSync(lockPath());
    release();
    const again = lockDataDir(dir);
    rmSync(lockPath());
    again(); // already gone: nothing to do
    expect(existsSync(lockPath())).toBe(false);
  });

  it('other errors are not hidden', () => {
    expect(() => lockDataDir(join(dir, 'missing'))).toThrow(/ENOENT/);
  });
});

describe('snapshot file', () => {
  const doc = (tables: WorkspaceDocument['tables']): WorkspaceDocument => ({ format: 'commsim-workspace', version: 1, gen: 3, meta: { k: [1] }, tables });

  it('a missing snapshot reads as null; a broken one throws', async () => {
    expect(await new SnapshotFile(join(dir, 'none.json')).read()).toBeNull();
    mkdirSync(join(dir, 'adir.json'));
    await expect(new SnapshotFile(join(dir, 'adir.json')).read()).rejects.toThrow(/EISDIR/);
    writeFileSync(join(dir, 'bad.json'), '{"format":');
    await expect(new SnapshotFile(join(dir, 'bad.json')).read()).rejects.toThrow(SyntaxError);
  });

  it('writes a document given as plain tables (empty ones left out) and reads it back', async () => {
    const f = new SnapshotFile(join(dir, 's.json'));
    const rows = Array.from({ length: 4100 }, (_, i) => ({ id: `r${i}`, v: i % 7 }));
    await f.write(doc({ a: rows, empty: [], b: [{ id: 'x', nested: { y: [null] } }] }));
    const back = await f.read();
    expect(back).toEqual(doc({ a: rows, b: [{ id: 'x', nested: { y: [null] } }] }));
    expect(readdirSync(dir)).toEqual(['s.json']);
  });

  it('a failed write leaves the previous snapshot and no temporary file', async () => {
    const path = join(dir, 's.json');
    const f = new SnapshotFile(path);
    await f.write(doc({ a: [{ id: 'old' }] }));
    const before = readFileSync(path, 'utf8');
    // BigInt cannot be written as JSON.
    await expect(f.write(doc({ a: [{ id: 'new', n: 1n as unknown as number }] }))).rejects.toThrow(TypeError);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['s.json']);
  });
});
