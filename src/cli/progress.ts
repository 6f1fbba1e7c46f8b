import cliProgress from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * A progress bar on standard error for long work, shown only on an interactive terminal (so
 * scripts and CI logs stay clean). Set ROOTS_PROGRESS=0 to hide it, 1 to force it.
 */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const wanted = process.env.ROOTS_PROGRESS === '1' || (process.env.ROOTS_PROGRESS !== '0' && stream.isTTY === true);
  if (!wanted) return { increment() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    setTotal: (next) => bar.setTotal(next),
    stop: () => bar.stop(),
  };
}
