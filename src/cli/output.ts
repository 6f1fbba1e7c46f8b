import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * A place to stream text to: the file named by `--out` (created readable by its owner only, as
 * it may hold personal data) or standard output. `write` waits when the stream is full.
 */
export function openOutput(file: string | undefined): { write(chunk: string): Promise<void>; close(): Promise<void> } {
  const stream: Writable = file ? createWriteStream(file, { mode: 0o600 }) : process.stdout;
  let failed: Error | undefined;
  stream.on('error', (error) => (failed = error));
  return {
    async write(chunk) {
      if (failed) throw failed;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close() {
      if (!file) return;
      stream.end();
      if (!stream.writableFinished) await once(stream, 'finish');
      if (failed) throw failed;
    },
  };
}
