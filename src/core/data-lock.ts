// One server per data directory: a second instance on a directory in use would replay the same
// logs and each would lose the other's writes. The lock is a file holding the owner's pid,
// created exclusively; a lock left by a process that no longer runs is taken over.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'commsim.lock';

export class DataDirInUse extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`commsim: the data directory ${dir} is in use by another commsim (pid ${pid}); stop it or start with another --data directory`);
    this.name = 'DataDirInUse';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory's lock; returns its release function. Throws DataDirInUse. */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path, 'utf8').trim());
      } catch {
        /* removed meanwhile: retry */
      }
      // The same process holds it too: a second runtime on the same directory is refused as well.
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) throw new DataDirInUse(dir, owner);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`commsim: cannot lock the data directory ${dir}`);
}
