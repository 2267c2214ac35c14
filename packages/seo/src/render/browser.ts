import { existsSync } from 'node:fs';
import type { Result } from '@wasl/core';
import type { Browser } from 'playwright-core';
import type { RenderError } from './types.ts';

export const defaultChromiumPath = (): string => process.env.WASL_CHROMIUM_PATH || '/usr/bin/chromium';

// Without the networking flags Chromium keeps calling Google's hosts, which a closed network refuses.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless; never a downloaded browser. */
export const launchChromium = async (path = defaultChromiumPath()): Promise<Result<Browser, RenderError>> => {
  if (!existsSync(path)) {
    return {
      ok: false,
      error: { kind: 'browser', message: `Chromium not found at ${path} (set WASL_CHROMIUM_PATH)` },
    };
  }
  try {
    // Loaded on first use: playwright-core takes seconds to import, and most processes never render.
    const { chromium } = await import('playwright-core');
    return { ok: true, value: await chromium.launch({ executablePath: path, headless: true, args: ARGS }) };
  } catch (e) {
    return {
      ok: false,
      error: { kind: 'browser', message: `Chromium at ${path} did not start: ${firstLine(e)}` },
    };
  }
};

/** Playwright's messages run to many lines of call log; the first says what happened. */
export const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]?.trim() ?? '';
