import { describe, expect, it } from 'vitest';
import { tempDataDir, wasl } from './wasl-process.ts';

describe('wasl command line', { timeout: 180_000 }, () => {
  it('lists its commands, and every command has --help', () => {
    const top = wasl(['--help'], {});
    expect(top.code).toBe(0);
    for (const c of ['start', 'worker', 'migrate', 'user', 'workspace', 'apikey'])
      expect(top.stdout).toContain(c);
    for (const args of [
      ['start', '--help'],
      ['migrate', '--help'],
      ['user', 'create', '--help'],
      ['user', 'reset-link', '--help'],
      ['workspace', 'create', '--help'],
      ['workspace', 'list', '--help'],
      ['apikey', 'create', '--help'],
      ['apikey', 'revoke', '--help'],
    ]) {
      const r = wasl(args, {});
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: wasl');
    }
  });

  it('refuses a wrong setting, naming the key and what it expects', () => {
    const r = wasl(['start'], { WASL_PORT: 'eighty', WASL_DATA_DIR: tempDataDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WASL_PORT: expected an integer from 1 to 65535, got "eighty"');
  });

  it('says plainly when PostgreSQL is unreachable, without showing the password', () => {
    const r = wasl(['migrate'], { DATABASE_URL: 'postgres://wasl:hunter2secret@127.0.0.1:1/wasl' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cannot reach the OLTP store \(PostgreSQL postgres:\/\/wasl:\*\*\*@127\.0\.0\.1:1\/wasl\)/,
    );
    expect(r.stderr + r.stdout).not.toContain('hunter2secret');
  });

  it('says plainly when the data directory is not writable', () => {
    const r = wasl(['migrate'], { WASL_DATA_DIR: '/etc/hostname/data' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('data directory /etc/hostname/data is not writable');
  });

  it('runs roles separately only in scale mode', () => {
    const r = wasl(['start', '--role', 'api'], { WASL_DATA_DIR: tempDataDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--role api needs scale mode: set DATABASE_URL');
    const bad = wasl(['start', '--role', 'api,web'], { DATABASE_URL: 'postgres://x@127.0.0.1:1/x' });
    expect(bad.stderr).toContain('--role: unknown role "web"');
  });

  it('migrates a new data directory once', () => {
    const dir = tempDataDir();
    const first = wasl(['migrate'], { WASL_DATA_DIR: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('OLTP migrations applied: 0001_foundation');
    const second = wasl(['migrate'], { WASL_DATA_DIR: dir });
    expect(second.stdout).toContain('OLTP migrations applied: none pending');
  });

  it('creates people, workspaces and keys; Arabic names survive and line up', () => {
    const env = { WASL_DATA_DIR: tempDataDir() };
    const user = wasl(['user', 'create', '--email', 'Sara@Example.com', '--name', 'سارة القحطاني'], env);
    expect(user.code).toBe(0);
    expect(user.stdout).toContain('created sara@example.com');
    expect(user.stdout).toMatch(
      /set-password link \(valid 168 hours\): http:\/\/localhost:8080\/reset-password\?token=/,
    );

    const dup = wasl(['user', 'create', '--email', 'sara@example.com', '--name', 'x'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('--email: sara@example.com already has an account');

    const short = wasl(
      ['user', 'create', '--email', 'b@example.com', '--name', 'b', '--password-stdin'],
      env,
      'short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('--password');

    const ws = wasl(
      ['workspace', 'create', '--name', 'متجر الورد', '--owner-email', 'sara@example.com'],
      env,
    );
    expect(ws.code).toBe(0);
    const id = ws.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1];
    expect(id).toBeDefined();

    const list = wasl(['workspace', 'list'], env);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[1]).toContain('متجر الورد');
    // Columns align by characters: "locale" starts at the same character in header and row.
    expect([...(lines[1] ?? '')].join('').indexOf('ar')).toBe(
      [...(lines[0] ?? '')].join('').indexOf('locale') + (lines[1]!.length - [...lines[1]!].length),
    );

    const key = wasl(['apikey', 'create', '--workspace', id!, '--name', 'backend', '--scope', 'read'], env);
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^wasl_[0-9A-Za-z]{8}_[0-9A-Za-z]{32,}$/m);
    const keyId = key.stdout.match(/key ([0-9a-f-]{36})/)?.[1];
    const revoke = wasl(['apikey', 'revoke', '--workspace', id!, '--id', keyId!], env);
    expect(revoke.code).toBe(0);
    const otherWorkspace = wasl(
      ['apikey', 'revoke', '--workspace', '01a205ad-0000-7000-8000-000000000000', '--id', keyId!],
      env,
    );
    expect(otherWorkspace.code).toBe(1);
    expect(otherWorkspace.stderr).toContain('api key not found');

    const badScope = wasl(['apikey', 'create', '--workspace', id!, '--name', 'x', '--scope', 'admin'], env);
    expect(badScope.stderr).toContain('--scope: expected read or write, got "admin"');

    const link = wasl(['user', 'reset-link', '--email', 'nobody@example.com'], env);
    expect(link.stderr).toContain('--email: no account has the email nobody@example.com');
  });
});
