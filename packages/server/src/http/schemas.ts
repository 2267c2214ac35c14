import { ROLES } from '@wasl/core';
import { z } from 'zod';
import { LOCALES } from '../locales.ts';
import { MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS } from '../services/passwords.ts';

/**
 * Schemas shared by several routes. Request schemas are strict (an unknown
 * field is a 400 naming it); response schemas carry an OpenAPI component id
 * so the generated document names the types the dashboard works with.
 */

export const IsoTime = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });
export const Locale = z.enum(LOCALES);
export const Role = z.enum(ROLES);
export const Scope = z.enum(['read', 'write']);

/** Lower-cased so that one person has one account whatever case they type. Internationalised addresses are allowed. */
export const Email = z
  .email({ pattern: z.regexes.unicodeEmail, error: 'not an email address' })
  .max(254)
  .toLowerCase();

/** Counted in characters, not UTF-16 units or bytes: `.min` never refuses what the refinement accepts. */
export const Password = z
  .string()
  .min(MIN_PASSWORD_CHARS, `must be at least ${MIN_PASSWORD_CHARS} characters`)
  .refine((s) => [...s].length >= MIN_PASSWORD_CHARS, `must be at least ${MIN_PASSWORD_CHARS} characters`)
  .refine((s) => [...s].length <= MAX_PASSWORD_CHARS, `must be at most ${MAX_PASSWORD_CHARS} characters`)
  .meta({ description: `at least ${MIN_PASSWORD_CHARS} characters` });

/** A person's or workspace's name, in any script; surrounding spaces are dropped. */
export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      line: z.number().int().optional().meta({ description: '1-based line of the fault in `field`' }),
      column: z.number().int().optional().meta({ description: '1-based column (UTF-16 units) in that line' }),
    }),
  })
  .meta({ id: 'Error' });

/** The error answers a route can give, for its response schema (and so for the OpenAPI document). */
export function errors<const S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>;
}

export const NoContent = z.undefined().meta({ description: 'No content' });

export const UserDto = z
  .object({ id: z.string(), email: z.string(), name: z.string(), locale: Locale })
  .meta({ id: 'User' });

export const TimeZone = z.string().min(1).max(64).meta({ description: 'IANA time zone, e.g. Asia/Riyadh' });

export const SiteDto = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z
      .string()
      .meta({ description: 'Hostname; international names in punycode, as browsers send them' }),
    key: z.string().meta({ description: 'Public site key for the tracker (data-site)' }),
    timezone: z.string(),
    createdAt: IsoTime,
  })
  .meta({ id: 'Site' });

export const WorkspaceDto = z
  .object({ id: z.string(), name: z.string(), locale: Locale, timezone: z.string(), createdAt: IsoTime })
  .meta({ id: 'Workspace' });

export const MemberDto = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: Role, createdAt: IsoTime })
  .meta({ id: 'Member' });

export const ApiKeyDto = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The 8 characters after `wasl_`, enough to tell keys apart. */
    prefix: z.string(),
    scope: Scope,
    createdAt: IsoTime,
    lastUsedAt: IsoTime.nullable(),
    revokedAt: IsoTime.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const AuditEntryDto = z
  .object({
    id: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    actor: z.object({
      type: z.enum(['user', 'apikey', 'system']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    createdAt: IsoTime,
  })
  .meta({ id: 'AuditEntry' });

export const JobDto = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    runAt: IsoTime,
    lastError: z.string().nullable(),
    createdAt: IsoTime,
    finishedAt: IsoTime.nullable(),
  })
  .meta({ id: 'Job' });

export const WorkspaceParams = z.strictObject({ ws: z.string() });

/** `?limit=` of list endpoints. */
export const PageLimit = z.coerce.number().int().min(1).max(200).default(50);
