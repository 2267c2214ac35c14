import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-and-exit.ts', import.meta.url));

describe('shutdown', () => {
  it('after app.close() the process exits by itself: no plugin keeps it alive', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exit = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('hung');
      }, 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });
    expect(exit, stderr).toBe(0);
    // Served for real (docs, metrics, readiness with a timer-based check, rate-limited logins) before closing.
    expect(JSON.parse(stdout.trim())).toEqual([200, 200, 200, 200, 200, 401, 401, 401, 429, 429]);
  });
});
