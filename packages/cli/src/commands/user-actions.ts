import { isRole } from '@wasl/core';
import {
  addMember,
  createPasswordResetLink,
  createUser,
  LOCALES,
  type Locale,
  passwordLinkFor,
  SET_PASSWORD_TTL_MS,
} from '@wasl/server';
import { readStdin, unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';

export interface CreateOptions {
  email: string;
  name: string;
  locale: string;
  passwordStdin?: boolean;
  workspace?: string;
  role?: string;
}

/** `wasl user create` */
export async function createUserAction(o: CreateOptions): Promise<void> {
  if (!(LOCALES as readonly string[]).includes(o.locale)) {
    throw new CliError(`--locale: expected ${LOCALES.join(' or ')}, got "${o.locale}"`);
  }
  if ((o.workspace === undefined) !== (o.role === undefined)) {
    throw new CliError('--workspace and --role go together');
  }
  if (o.role !== undefined && !isRole(o.role)) {
    throw new CliError(`--role: expected owner, admin, marketer or analyst, got "${o.role}"`);
  }
  const password = o.passwordStdin ? await readStdin() : undefined;
  await withOltp(async ({ oltp, config, secret }) => {
    const created = unwrap(
      await createUser(oltp.db, { email: o.email, name: o.name, locale: o.locale as Locale, password }),
    );
    if (o.workspace && o.role && isRole(o.role)) {
      unwrap(
        await addMember(oltp.db, {
          workspaceId: o.workspace,
          email: created.email,
          role: o.role,
          actor: { type: 'system' },
        }),
        { workspaceId: '--workspace' },
      );
    }
    process.stdout.write(`created ${created.email} (${created.id})\n`);
    if (!password) {
      const link = passwordLinkFor(created, {
        secret: await secret(),
        publicUrl: config.publicUrl,
        ttlMs: SET_PASSWORD_TTL_MS,
      });
      process.stdout.write(`set-password link (valid ${SET_PASSWORD_TTL_MS / 3_600_000} hours): ${link}\n`);
    }
  });
}

/** `wasl user reset-link` */
export async function resetLinkAction(o: { email: string }): Promise<void> {
  await withOltp(async ({ oltp, config, secret }) => {
    const link = await createPasswordResetLink(oltp.db, {
      email: o.email,
      secret: await secret(),
      publicUrl: config.publicUrl,
    });
    if (!link) throw new CliError(`--email: no account has the email ${o.email}`);
    process.stdout.write(`${link}\n`);
  });
}
