import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RootsError } from '../errors/roots-error.ts';

export interface DataDirLock {
  release(): void;
}

/**
 * Only one process may open an embedded data directory: PGlite is a single in-process
 * PostgreSQL and two writers would corrupt it. A lock file holds the owner's process id; a
 * lock left by a process that has died (for example after SIGKILL) is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = join(dataDir, 'roots.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) rmSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSafe(path), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new RootsError('DATA_DIR_IN_USE', { detail: dataDirInUseAdvice(dataDir, owner) });
      }
      rmSync(path, { force: true });
    }
  }
  throw new RootsError('DATA_DIR_IN_USE', { detail: `Could not lock the embedded database in ${dataDir}.` });
}

/**
 * What to do when the embedded database is taken, said plainly: usually `roots serve` is running
 * and a command was started beside it (docs/adr/0003).
 */
export function dataDirInUseAdvice(dataDir: string, owner: number): string {
  return (
    `The embedded database in ${dataDir} is open in another Roots process (pid ${owner}), ` +
    'probably `roots serve` (npm start). Only one process at a time can use the embedded database. Either ' +
    `stop that process (Ctrl+C in its terminal, or \`kill ${owner}\`) and run this command again, ` +
    'or run Roots on PostgreSQL so the server and commands can work at the same time: ' +
    'set DATABASE_URL=postgres://user@host:5432/db for `roots serve` and for every command.'
  );
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
