import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ShareLinks } from '../../analytics/ShareLinks.tsx';
import { type SiteInput, updateSite } from '../../api/sites.ts';
import type { Site } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { CopyCode } from '../../components/CopyCode.tsx';
import { Form } from '../../components/Form.tsx';
import { TextField } from '../../components/TextField.tsx';
import { TimeZoneField } from '../../components/TimeZoneField.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { domainToUnicode } from '../../lib/punycode.ts';
import { trackingSnippet } from '../../lib/trackingSnippet.ts';
import { useForm } from '../../lib/useForm.ts';
import { domain, required } from '../../lib/validate.ts';
import { queryClient } from '../../session/queryClient.ts';
import { sitesKey } from './SitesTab.tsx';

interface SiteRowProps {
  ws: string;
  site: Site;
  /** Owners, admins and marketers: edit and delete are offered. */
  manage: boolean;
  onNotice: (message: string) => void;
  onDelete: (site: Site) => void;
}

/** One site: what it is, its tracking snippet, and (for those who may) edit in place or delete. */
export function SiteRow({ ws, site, manage, onNotice, onDelete }: SiteRowProps) {
  const { t, date } = useI18n();
  const [editing, setEditing] = useState(false);
  const row = useRef<HTMLLIElement>(null);
  const returnFocus = useRef(false);
  const shownDomain = domainToUnicode(site.domain);

  // Leaving the edit form puts focus back on the button that opened it.
  useEffect(() => {
    if (editing || !returnFocus.current) return;
    returnFocus.current = false;
    row.current?.querySelector<HTMLElement>('[data-testid="site-edit"]')?.focus();
  }, [editing]);
  const stopEditing = () => {
    returnFocus.current = true;
    setEditing(false);
  };

  return (
    <li ref={row} data-testid="site-row" data-site-id={site.id} className="space-y-5 px-5 py-5">
      {editing ? (
        <EditSite
          ws={ws}
          site={site}
          shownDomain={shownDomain}
          onDone={stopEditing}
          onSaved={(updated) => {
            onNotice(t('sites.updated', { name: updated.name }));
            stopEditing();
          }}
        />
      ) : (
        <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
          <div className="min-w-0 space-y-3">
            <h3 className="text-base font-semibold break-words text-zinc-900" data-testid="site-name">
              {site.name}
            </h3>
            <dl className="flex flex-wrap gap-x-10 gap-y-3 text-sm">
              <div className="min-w-0">
                <dt className="text-xs text-zinc-600">{t('sites.domain')}</dt>
                <dd className="mt-0.5 font-medium wrap-anywhere text-zinc-900">
                  <bdi data-testid="site-domain">{shownDomain}</bdi>
                </dd>
                {shownDomain !== site.domain && (
                  <dd className="mt-0.5 text-xs wrap-anywhere text-zinc-600">
                    {t('sites.asciiDomain')}{' '}
                    <span dir="ltr" data-testid="site-domain-ascii">
                      {site.domain}
                    </span>
                  </dd>
                )}
              </div>
              <div>
                <dt className="text-xs text-zinc-600">{t('field.timezone')}</dt>
                <dd className="mt-0.5 text-zinc-900">
                  <span dir="ltr" data-testid="site-timezone">
                    {site.timezone}
                  </span>
                </dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-600">{t('sites.created')}</dt>
                <dd className="mt-0.5 text-zinc-900">{date(site.createdAt, 'date')}</dd>
              </div>
            </dl>
          </div>
          {manage && (
            <div className="flex shrink-0 gap-2">
              <Button
                aria-label={t('sites.editLabel', { name: site.name })}
                testId="site-edit"
                onClick={() => setEditing(true)}
              >
                {t('sites.edit')}
              </Button>
              <Button
                variant="dangerGhost"
                aria-label={t('sites.deleteLabel', { name: site.name })}
                testId="site-delete"
                onClick={() => onDelete(site)}
              >
                {t('sites.delete')}
              </Button>
            </div>
          )}
        </div>
      )}
      <Snippet site={site} />
      <ShareLinks ws={ws} siteId={site.id} manage={manage} />
    </li>
  );
}

function Snippet({ site }: { site: Site }) {
  const { t } = useI18n();
  // `{head}` becomes a code element: `</head>` inside Arabic text would otherwise be reordered.
  const [before = '', after = ''] = t('sites.snippetHint', { head: '\u0000' }).split('\u0000');
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-medium text-zinc-800">{t('sites.snippetTitle')}</h4>
      <p className="text-xs text-zinc-600">
        {before}
        <code dir="ltr" className="rounded bg-zinc-100 px-1 py-0.5 text-zinc-800">
          {'</head>'}
        </code>
        {after}
      </p>
      <CopyCode
        code={trackingSnippet(window.location.origin, site.key)}
        copyLabel={t('sites.copySnippet', { name: site.name })}
        testId="site-snippet"
        copyTestId="site-snippet-copy"
      />
    </div>
  );
}

interface EditSiteProps {
  ws: string;
  site: Site;
  shownDomain: string;
  onDone: () => void;
  onSaved: (site: Site) => void;
}

/** Name, domain and time zone in place; only what changed is sent. */
function EditSite({ ws, site, shownDomain, onDone, onSaved }: EditSiteProps) {
  const { t } = useI18n();
  const save = useMutation({
    mutationFn: (changes: Partial<SiteInput>) => updateSite(ws, site.id, changes),
    onSuccess: ({ site: updated }) => {
      queryClient.invalidateQueries({ queryKey: sitesKey(ws) });
      onSaved(updated);
    },
  });
  const form = useForm({
    initial: { name: site.name, domain: shownDomain, timezone: site.timezone },
    checks: { name: required, domain },
    apiError: save.error,
    onEdit: () => save.isError && save.reset(),
  });
  const { formRef } = form;
  useEffect(() => formRef.current?.querySelector('input')?.focus(), [formRef]);

  const submit = () => {
    if (!form.validate()) return;
    const name = form.values.name.trim();
    const address = form.values.domain.trim();
    const changes: Partial<SiteInput> = {
      ...(name !== site.name ? { name } : {}),
      ...(address !== shownDomain ? { domain: address } : {}),
      ...(form.values.timezone !== site.timezone ? { timezone: form.values.timezone } : {}),
    };
    if (Object.keys(changes).length === 0) return onDone();
    save.mutate(changes, { onError: form.focusInvalid });
  };
  return (
    <Form
      onSubmit={submit}
      error={form.formError}
      formRef={formRef}
      testId="site-edit-form"
      className="space-y-4"
    >
      <div className="grid gap-4 lg:grid-cols-3">
        <TextField
          label={t('sites.name')}
          autoComplete="off"
          required
          testId="site-edit-name"
          {...form.field('name')}
        />
        <TextField
          label={t('sites.domain')}
          dir="auto"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          testId="site-edit-domain"
          {...form.field('domain')}
        />
        <TimeZoneField testId="site-edit-timezone" {...form.field('timezone')} />
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant="primary" busy={save.isPending} testId="site-edit-save">
          {save.isPending ? t('common.saving') : t('common.save')}
        </Button>
        <Button onClick={onDone} testId="site-edit-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </Form>
  );
}
