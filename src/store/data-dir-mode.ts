import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded data folder is for its owner only, as PostgreSQL itself requires of a data
 * directory: the folder is 0700, so while Roots runs nobody else can reach anything in it.
 * PGlite writes its files through Node's fs with mode 0666 whatever the umask, so the files
 * themselves are tightened (group and other bits removed) after PGlite starts and again when it
 * closes, which also mends a folder left open by an earlier version of Roots.
 */
export function createPrivateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder as it was (and the umask applies to a new one).
  chmodSync(dataDir, 0o700);
}

/** Removes group and other permissions from everything under `dataDir` (symbolic links left alone). */
export function restrictDataDirTree(dataDir: string): void {
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const path = join(dataDir, entry.name);
    try {
      const mode = lstatSync(path).mode & 0o7777;
      if ((mode & 0o077) !== 0) chmodSync(path, mode & ~0o077);
    } catch {
      // A temporary file PostgreSQL removed meanwhile: nothing to restrict.
      continue;
    }
    if (entry.isDirectory()) restrictDataDirTree(path);
  }
}
