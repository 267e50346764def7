// The lowdb adapter of workspace snapshots: compact JSON, written in chunks so that a snapshot of
// 100,000 records never blocks the event loop for long, to a temporary file that replaces the old
// snapshot atomically (rename). Reading is a single JSON.parse.
//
// A chunked write sees records as they are when their chunk is serialised, possibly after the
// snapshot's generation boundary. That is safe: every change after the boundary is also in the
// next generation's log as a whole-record upsert or delete, and replaying the log over the
// snapshot yields the latest state (a "fuzzy" checkpoint).
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type { Rec } from './record.js';

export interface WorkspaceDocument {
  format: 'commsim-workspace';
  version: 1;
  /** The first log generation NOT contained in this snapshot. */
  gen: number;
  meta: Record<string, unknown>;
  tables: Record<string, Rec[]>;
}

/** What a write needs: the generation, the meta values, and the tables to stream. */
export interface SnapshotSource {
  gen: number;
  meta: Record<string, unknown>;
  tables: () => Iterable<[string, { size: number; scan(): IterableIterator<Rec> }]>;
}

/** Records serialised per chunk before yielding to the event loop. */
const CHUNK = 2000;

export class SnapshotFile implements Adapter<WorkspaceDocument | SnapshotSource> {
  constructor(readonly path: string) {}

  async read(): Promise<WorkspaceDocument | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return JSON.parse(text) as WorkspaceDocument;
  }

  async write(data: WorkspaceDocument | SnapshotSource): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      let buf = `{"format":"commsim-workspace","version":1,"gen":${data.gen},"meta":${JSON.stringify(data.meta)},"tables":{`;
      const tables: Iterable<[string, { size: number; scan(): Iterable<Rec> }]> =
        typeof data.tables === 'function' ? data.tables() : Object.entries(data.tables).map(([n, rows]) => [n, { size: rows.length, scan: () => rows.values() }] as [string, { size: number; scan(): IterableIterator<Rec> }]);
      let firstTable = true;
      for (const [name, t] of tables) {
        if (!t.size) continue;
        buf += `${firstTable ? '' : ','}${JSON.stringify(name)}:[`;
        firstTable = false;
        let n = 0;
        for (const rec of t.scan()) {
          buf += (n ? ',' : '') + JSON.stringify(rec);
          if (++n % CHUNK === 0) {
            await fh.write(buf);
            buf = '';
            await new Promise((r) => setImmediate(r));
          }
        }
        buf += ']';
      }
      buf += '}}';
      await fh.write(buf);
      await fh.sync();
    } catch (e) {
      await fh.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    await rename(tmp, this.path);
  }
}
