import { describe, expect, it } from 'vitest';
import { describeConfig, parseConfig, redactUrl, smtpSettings } from '../src/config.ts';

describe('parseConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const r = parseConfig({ env: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      dataDir: './data',
      databaseUrl: undefined,
      eventsUrl: undefined,
      logLevel: 'info',
      bodyLimitBytes: 1048576,
    });
  });

  it('takes the environment over the file, and the file over defaults', () => {
    const r = parseConfig({ env: { WASL_PORT: '9000' }, file: { port: 7000, logLevel: 'debug' } });
    expect(r.ok && r.value.port).toBe(9000);
    expect(r.ok && r.value.logLevel).toBe('debug');
    expect(r.ok && r.value.publicUrl).toBe('http://localhost:9000');
  });

  it('defaults the events store to DATABASE_URL in scale mode', () => {
    const url = 'postgres://wasl:pw@db:5432/wasl';
    const r = parseConfig({ env: { DATABASE_URL: url } });
    expect(r.ok && r.value.eventsUrl).toBe(url);
  });

  it('names every wrong key and what it expects', () => {
    const r = parseConfig({
      env: { WASL_PORT: 'eighty', DATABASE_URL: 'mysql://root:hunter2@db/x', WASL_LOG_LEVEL: 'loud' },
      file: { colour: 'blue' },
      fileName: 'wasl.config.json',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      'wasl.config.json: unknown key "colour"',
      'WASL_PORT: expected an integer from 1 to 65535, got "eighty"',
      'DATABASE_URL: expected a postgres:// URL, got (hidden)',
      'WASL_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
    expect(r.error.join('\n')).not.toContain('hunter2');
  });

  it('refuses a port out of range and a short secret', () => {
    const r = parseConfig({ env: { WASL_PORT: '70000', WASL_SECRET: 'short' } });
    expect(r.ok ? [] : r.error).toEqual([
      'WASL_PORT: expected an integer from 1 to 65535, got "70000"',
      'WASL_SECRET: expected at least 32 characters, got (hidden)',
    ]);
  });
});

describe('secrets are never shown', () => {
  it('redacts database passwords', () => {
    expect(redactUrl('postgres://wasl:s3cr%C3%A9t@db:5432/wasl')).toBe('postgres://wasl:***@db:5432/wasl');
    expect(redactUrl('postgres://db/wasl')).toBe('postgres://db/wasl');
  });

  it('describeConfig hides the secret and both URLs passwords', () => {
    const r = parseConfig({
      env: { DATABASE_URL: 'postgres://a:pw1@h/d', WASL_SECRET: 'x'.repeat(40) },
    });
    if (!r.ok) throw new Error(r.error.join());
    const shown = JSON.stringify(describeConfig(r.value));
    expect(shown).not.toContain('pw1');
    expect(shown).not.toContain('x'.repeat(40));
  });
});

describe('email delivery settings', () => {
  it('reads the SMTP relay, its connection limit and the default sender', () => {
    const r = parseConfig({
      env: {
        WASL_SMTP_URL: 'smtps://mailer%40example.sa:p%40ss@smtp.example.sa:2465',
        WASL_SMTP_MAX_CONNECTIONS: '8',
        WASL_MAIL_FROM: 'متجر الورد <news@example.sa>',
      },
    });
    if (!r.ok) throw new Error(r.error.join());
    expect(r.value.smtpMaxConnections).toBe(8);
    expect(r.value.mailFrom).toEqual({ address: 'news@example.sa', name: 'متجر الورد' });
    expect(smtpSettings(r.value.smtpUrl ?? '')).toEqual({
      host: 'smtp.example.sa',
      port: 2465,
      secure: true,
      auth: { user: 'mailer@example.sa', pass: 'p@ss' },
    });
    expect(JSON.stringify(describeConfig(r.value))).not.toContain('p%40ss');
  });

  it('defaults: no relay, 5 connections, no sender; ports 587 and 465 by scheme', () => {
    const r = parseConfig({ env: {} });
    expect(r.ok && [r.value.smtpUrl, r.value.smtpMaxConnections, r.value.mailFrom]).toEqual([
      undefined,
      5,
      undefined,
    ]);
    expect(smtpSettings('smtp://relay.local')).toEqual({ host: 'relay.local', port: 587, secure: false });
    expect(smtpSettings('smtps://relay.local')).toEqual({ host: 'relay.local', port: 465, secure: true });
  });

  it('names each bad value, hiding the SMTP URL', () => {
    const r = parseConfig({
      env: {
        WASL_SMTP_URL: 'http://user:secret@smtp.example.sa',
        WASL_SMTP_MAX_CONNECTIONS: '0',
        WASL_MAIL_FROM: 'not an address',
      },
    });
    expect(r.ok ? [] : r.error).toEqual([
      'WASL_SMTP_URL: expected an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465, got (hidden)',
      'WASL_SMTP_MAX_CONNECTIONS: expected an integer from 1 to 100, got "0"',
      'WASL_MAIL_FROM: expected an email address, optionally with a name: Wasl <news@example.com>, got "not an address"',
    ]);
  });
});
