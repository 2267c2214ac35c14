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

export interface Gauge {
  /** Moves the bar to `value` of the total. */
  update(value: number, label?: string): void;
  stop(): void;
}

/**
 * A bar for work measured in a quantity, such as bytes of a file read; off a
 * terminal it prints a line at most every `everyMs` milliseconds.
 */
export function gauge(
  title: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  everyMs = 2000,
): Gauge {
  if (!stream.isTTY) {
    let last = 0;
    return {
      update(value, label) {
        const now = Date.now();
        if (now - last < everyMs && value < total) return;
        last = now;
        const percent = total > 0 ? Math.floor((value / total) * 100) : 100;
        stream.write(`${title}: ${percent}%${label ? ` ${label}` : ''}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} [{bar}] {percentage}% {label}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update(value, label) {
      bar.update(Math.min(value, total), { label: label ?? '' });
    },
    stop() {
      bar.stop();
    },
  };
}
