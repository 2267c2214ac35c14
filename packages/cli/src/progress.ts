import cliProgress from 'cli-progress';

export interface Progress {
  tick(label?: string): void;
  stop(): void;
}

/**
 * A progress bar on a terminal; plain lines when output goes to a file or CI,
 * so logs stay readable.
 */
export function progress(
  title: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY) {
    let done = 0;
    return {
      tick(label) {
        done += 1;
        stream.write(`${title}: ${done}/${total}${label ? ` ${label}` : ''}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${title} [{bar}] {value}/{total} {label}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    tick(label) {
      bar.increment(1, { label: label ?? '' });
    },
    stop() {
      bar.stop();
    },
  };
}
