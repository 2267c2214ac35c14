import { err, ok, type Result } from './result.ts';

/**
 * Wasl's settings. Each comes from an environment variable, else the optional
 * JSON config file (same names in camelCase), else its default. Parsing is
 * pure: the CLI reads the environment and the file and passes both in.
 */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** postgres://… for scale mode; undefined means SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** postgres://… for scale mode; undefined means DuckDB in dataDir (or databaseUrl when that is set). */
  eventsUrl: string | undefined;
  secret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  trustProxy: boolean;
  workerConcurrency: number;
  loginAttemptsPerMinute: number;
  shutdownTimeoutMs: number;
  /** smtp(s)://user:pass@host:port of the relay email goes through; undefined: email waits in the queue. */
  smtpUrl: string | undefined;
  smtpMaxConnections: number;
  /** The sender of system mail and of workspaces without a sender identity. */
  mailFrom: { address: string; name?: string } | undefined;
  /** smpp://system_id:password@host:port[?window=N] of the SMSC SMS goes through; undefined: SMS waits in the queue. */
  smppUrl: string | undefined;
  /** The sender id of SMS: alphanumeric (at most 11 characters) or a number in E.164. */
  smsSender: string | undefined;
  /** The WhatsApp Cloud API's id of the sending number (not the number); undefined: WhatsApp waits in the queue. */
  whatsappPhoneNumberId: string | undefined;
  /** A system-user access token with whatsapp_business_messaging; required with the phone number id. */
  whatsappAccessToken: string | undefined;
  /** Where the Graph API is: Meta's, or a proxy (or a test's fake). */
  whatsappApiUrl: string;
  /** The Graph API version in the request path. */
  whatsappApiVersion: string;
  /** The VAPID subject of every workspace's web push (mailto: or https:); undefined: each workspace's owner's mailto:. */
  vapidSubject: string | undefined;
}

interface Key<T> {
  env: string;
  file: string;
  describe: string;
  parse: (raw: string) => T | undefined;
  fallback: (partial: Partial<Config>) => T;
  secret?: boolean;
}

const int = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
};
const bool = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return undefined;
};
const postgresUrl = (raw: string) => {
  try {
    const u = new URL(raw);
    return u.protocol === 'postgres:' || u.protocol === 'postgresql:' ? raw : undefined;
  } catch {
    return undefined;
  }
};
const httpUrl = (raw: string) => {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? raw.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
};
const smtpUrl = (raw: string) => (smtpSettings(raw) === undefined ? undefined : raw.trim());
const smppUrl = (raw: string) => (smppSettings(raw) === undefined ? undefined : raw.trim());
/** An alphanumeric sender id (letters, digits and spaces, at least one letter, at most 11) or E.164. */
const smsSender = (raw: string) => {
  const v = raw.trim();
  if (/^\+[1-9]\d{6,14}$/.test(v)) return v;
  return /^[A-Za-z0-9 ]{1,11}$/.test(v) && /[A-Za-z]/.test(v) ? v : undefined;
};
const mailbox = (raw: string): { address: string; name?: string } | undefined => {
  const text = raw.trim();
  const angled = /^(.*?)\s*<([^<>\s]+)>$/.exec(text);
  const address = angled ? (angled[2] ?? '') : text;
  const name = angled?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(address)) return undefined;
  return name ? { address, name } : { address };
};
/** A token as Meta issues them: visible ASCII, no spaces. */
const accessToken = (raw: string) => (/^[\x21-\x7e]{16,}$/.test(raw.trim()) ? raw.trim() : undefined);
const nonEmpty = (raw: string) => (raw.trim() === '' ? undefined : raw.trim());
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const KEYS: { [K in keyof Config]: Key<Config[K]> } = {
  port: {
    env: 'WASL_PORT',
    file: 'port',
    describe: 'an integer from 1 to 65535',
    parse: int(1, 65535),
    fallback: () => 8080,
  },
  host: {
    env: 'WASL_HOST',
    file: 'host',
    describe: 'an interface address such as 127.0.0.1 or 0.0.0.0',
    parse: nonEmpty,
    fallback: () => '127.0.0.1',
  },
  publicUrl: {
    env: 'WASL_PUBLIC_URL',
    file: 'publicUrl',
    describe: 'an http(s) URL such as https://wasl.example.com',
    parse: httpUrl,
    fallback: (c) => `http://localhost:${c.port ?? 8080}`,
  },
  dataDir: {
    env: 'WASL_DATA_DIR',
    file: 'dataDir',
    describe: 'a directory path',
    parse: nonEmpty,
    fallback: () => './data',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    file: 'databaseUrl',
    describe: 'a postgres:// URL',
    parse: postgresUrl,
    fallback: () => undefined,
    secret: true,
  },
  eventsUrl: {
    env: 'WASL_EVENTS_URL',
    file: 'eventsUrl',
    describe: 'a postgres:// URL',
    parse: postgresUrl,
    fallback: (c) => c.databaseUrl,
    secret: true,
  },
  secret: {
    env: 'WASL_SECRET',
    file: 'secret',
    describe: 'at least 32 characters',
    parse: (raw) => (raw.length >= 32 ? raw : undefined),
    fallback: () => undefined,
    secret: true,
  },
  logLevel: {
    env: 'WASL_LOG_LEVEL',
    file: 'logLevel',
    describe: `one of ${LOG_LEVELS.join(', ')}`,
    parse: (raw) => LOG_LEVELS.find((l) => l === raw.trim().toLowerCase()),
    fallback: () => 'info',
  },
  bodyLimitBytes: {
    env: 'WASL_BODY_LIMIT_BYTES',
    file: 'bodyLimitBytes',
    describe: 'an integer number of bytes from 1024 to 104857600',
    parse: int(1024, 100 * 1024 * 1024),
    fallback: () => 1024 * 1024,
  },
  trustProxy: {
    env: 'WASL_TRUST_PROXY',
    file: 'trustProxy',
    describe: 'true or false',
    parse: bool,
    fallback: () => false,
  },
  workerConcurrency: {
    env: 'WASL_WORKER_CONCURRENCY',
    file: 'workerConcurrency',
    describe: 'an integer from 1 to 256',
    parse: int(1, 256),
    fallback: () => 4,
  },
  loginAttemptsPerMinute: {
    env: 'WASL_LOGIN_ATTEMPTS_PER_MINUTE',
    file: 'loginAttemptsPerMinute',
    describe: 'an integer from 1 to 10000',
    parse: int(1, 10000),
    fallback: () => 10,
  },
  shutdownTimeoutMs: {
    env: 'WASL_SHUTDOWN_TIMEOUT_MS',
    file: 'shutdownTimeoutMs',
    describe: 'an integer number of milliseconds from 100 to 600000',
    parse: int(100, 600_000),
    fallback: () => 15_000,
  },
  smtpUrl: {
    env: 'WASL_SMTP_URL',
    file: 'smtpUrl',
    describe: 'an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465',
    parse: smtpUrl,
    fallback: () => undefined,
    secret: true,
  },
  smtpMaxConnections: {
    env: 'WASL_SMTP_MAX_CONNECTIONS',
    file: 'smtpMaxConnections',
    describe: 'an integer from 1 to 100',
    parse: int(1, 100),
    fallback: () => 5,
  },
  mailFrom: {
    env: 'WASL_MAIL_FROM',
    file: 'mailFrom',
    describe: 'an email address, optionally with a name: Wasl <news@example.com>',
    parse: mailbox,
    fallback: () => undefined,
  },
  smppUrl: {
    env: 'WASL_SMPP_URL',
    file: 'smppUrl',
    describe: 'an smpp:// URL such as smpp://system_id:password@smsc.example.com:2775?window=10',
    parse: smppUrl,
    fallback: () => undefined,
    secret: true,
  },
  smsSender: {
    env: 'WASL_SMS_SENDER',
    file: 'smsSender',
    describe:
      'an alphanumeric sender id of at most 11 Latin letters, digits and spaces (e.g. WaslShop) or a number in E.164 (e.g. +966501234567)',
    parse: smsSender,
    fallback: () => undefined,
  },
  whatsappPhoneNumberId: {
    env: 'WASL_WHATSAPP_PHONE_NUMBER_ID',
    file: 'whatsappPhoneNumberId',
    describe:
      'the digits of the phone number id shown in WhatsApp Manager (e.g. 106540352242922), not the phone number',
    parse: (raw) => (/^\d{5,30}$/.test(raw.trim()) ? raw.trim() : undefined),
    fallback: () => undefined,
  },
  whatsappAccessToken: {
    env: 'WASL_WHATSAPP_ACCESS_TOKEN',
    file: 'whatsappAccessToken',
    describe: 'a WhatsApp Cloud API access token (at least 16 visible ASCII characters, no spaces)',
    parse: accessToken,
    fallback: () => undefined,
    secret: true,
  },
  whatsappApiUrl: {
    env: 'WASL_WHATSAPP_API_URL',
    file: 'whatsappApiUrl',
    describe: 'an http(s) URL such as https://graph.facebook.com',
    parse: httpUrl,
    fallback: () => 'https://graph.facebook.com',
  },
  whatsappApiVersion: {
    env: 'WASL_WHATSAPP_API_VERSION',
    file: 'whatsappApiVersion',
    describe: 'a Graph API version such as v21.0',
    parse: (raw) => (/^v\d{1,3}\.\d{1,3}$/.test(raw.trim()) ? raw.trim() : undefined),
    fallback: () => 'v21.0',
  },
  vapidSubject: {
    env: 'WASL_VAPID_SUBJECT',
    file: 'vapidSubject',
    describe: 'a mailto: or https: URL push services may contact, e.g. mailto:ops@example.com',
    parse: (raw) => (/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/.test(raw.trim()) ? raw.trim() : undefined),
    fallback: () => undefined,
  },
};

/** Order matters: fallbacks may read keys parsed before them. */
const ORDER = Object.keys(KEYS) as (keyof Config)[];

export interface ConfigSources {
  env: Record<string, string | undefined>;
  /** The parsed config file, if any. */
  file?: Record<string, unknown>;
  /** Name of the file, for messages. */
  fileName?: string;
}

/** Returns the config, or one message per wrong key naming the key and what it expects. */
export function parseConfig(sources: ConfigSources): Result<Config, string[]> {
  const problems: string[] = [];
  const known = new Set(ORDER.map((k) => KEYS[k].file));
  for (const k of Object.keys(sources.file ?? {})) {
    if (!known.has(k)) problems.push(`${sources.fileName ?? 'config file'}: unknown key "${k}"`);
  }
  const out: Partial<Config> = {};
  for (const name of ORDER) {
    const key = KEYS[name] as Key<unknown>;
    const fromEnv = sources.env[key.env];
    const fromFile = sources.file?.[key.file];
    let raw: string | undefined;
    let where = '';
    if (fromEnv !== undefined && fromEnv !== '') {
      raw = fromEnv;
      where = key.env;
    } else if (fromFile !== undefined && fromFile !== null) {
      raw = String(fromFile);
      where = `${sources.fileName ?? 'config file'}: ${key.file}`;
    }
    if (raw === undefined) {
      (out as Record<string, unknown>)[name] = key.fallback(out);
      continue;
    }
    const value = key.parse(raw);
    if (value === undefined) {
      const shown = key.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${where}: expected ${key.describe}, got ${shown}`);
      continue;
    }
    (out as Record<string, unknown>)[name] = value;
  }
  // WhatsApp needs both the number's id and the token; one alone is a half-done setup, not "off".
  const [id, token] = [KEYS.whatsappPhoneNumberId, KEYS.whatsappAccessToken];
  const given = (key: Key<unknown>) =>
    (sources.env[key.env] ?? '') !== '' || (sources.file?.[key.file] ?? null) !== null;
  if (given(id) !== given(token)) {
    const [set, unset] = given(id) ? [id, token] : [token, id];
    problems.push(`${unset.env}: required when ${set.env} is set (WhatsApp needs both)`);
  }
  return problems.length > 0 ? err(problems) : ok(out as Config);
}

/** The environment variable for each key, for docs and `--help`. */
export const CONFIG_KEYS = ORDER.map((k) => ({
  key: k,
  env: KEYS[k].env,
  file: KEYS[k].file,
  describe: KEYS[k].describe,
}));

/** The SMTP relay a `smtp(s)://user:pass@host:port` URL names; undefined when it is not one. */
export function smtpSettings(
  url: string,
): { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } } | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'smtp:' && u.protocol !== 'smtps:') || u.hostname === '') return undefined;
  if (u.pathname !== '' && u.pathname !== '/') return undefined;
  const secure = u.protocol === 'smtps:';
  const port = u.port === '' ? (secure ? 465 : 587) : Number(u.port);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!u.username) return { host, port, secure };
  return {
    host,
    port,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
  };
}

/** The SMSC a `smpp://system_id:password@host:port[?window=N]` URL names; undefined when it is not one. */
export function smppSettings(
  url: string,
): { host: string; port: number; systemId: string; password: string; windowSize?: number } | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'smpp:' || u.hostname === '' || !u.username) return undefined;
  if (u.pathname !== '' && u.pathname !== '/') return undefined;
  if ([...u.searchParams.keys()].some((k) => k !== 'window')) return undefined;
  const window = u.searchParams.get('window');
  const windowSize = window === null ? undefined : int(1, 1000)(window);
  if (window !== null && windowSize === undefined) return undefined;
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 2775 : Number(u.port),
    systemId: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ...(windowSize === undefined ? {} : { windowSize }),
  };
}

/** Hides the password in a database URL so it can be logged. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** The config as it may be printed or logged: secrets hidden. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: redactUrl(config.databaseUrl),
    eventsUrl: redactUrl(config.eventsUrl),
    smtpUrl: redactUrl(config.smtpUrl),
    smppUrl: redactUrl(config.smppUrl),
    whatsappAccessToken: config.whatsappAccessToken === undefined ? undefined : '***',
    secret: config.secret === undefined ? undefined : '***',
  };
}
