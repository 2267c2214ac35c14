import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { listSites } from '../api/sites.ts';
import { Button } from '../components/Button.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { splitApiError } from '../lib/apiErrors.ts';
import { navigate } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';
import { type SeoAudit, startAudit } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { auditsKey } from './keys.ts';
import { comparable, isolate, parseMaxPages } from './logic.ts';

const FIELDS = ['url', 'maxPages', 'siteId', 'compareTo'];

export function NewAuditForm({ ws, audits, i18n }: { ws: string; audits: SeoAudit[]; i18n: SeoI18n }) {
  const { st, t } = i18n;
  const [url, setUrl] = useState('');
  const [maxPages, setMaxPages] = useState(() => i18n.number(100));
  const [siteId, setSiteId] = useState('');
  const [compareTo, setCompareTo] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const sites = useQuery({ queryKey: ['sites', ws], queryFn: () => listSites(ws) });
  const start = useMutation({
    mutationFn: (pages: number) =>
      startAudit(ws, {
        url: url.trim(),
        options: { maxPages: pages },
        ...(siteId ? { siteId } : {}),
        ...(compareTo ? { compareTo } : {}),
      }),
    onSuccess: ({ audit }) => {
      queryClient.invalidateQueries({ queryKey: auditsKey(ws) });
      navigate(`/seo/audits/${audit.id}`);
    },
  });
  const { fieldErrors, formError } = splitApiError(start.error, FIELDS, t);
  const errors = { ...fieldErrors, ...local };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/i.test(url.trim())) problems.url = st('new.urlRequired');
    const pages = parseMaxPages(maxPages);
    if (pages === null) problems.maxPages = st('new.maxPagesInvalid');
    setLocal(problems);
    if (pages !== null && Object.keys(problems).length === 0) start.mutate(pages);
  };

  const siteOptions = [
    { value: '', label: st('new.noSite') },
    ...(sites.data?.sites ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.domain})` })),
  ];
  const compareOptions = [
    { value: '', label: st('new.noCompare') },
    ...comparable(audits, '').map((a) => ({
      value: a.id,
      label: `${isolate(a.startUrl)} · ${i18n.date(a.createdAt, 'date')}`,
    })),
  ];
  return (
    <form onSubmit={submit} noValidate className="grid gap-4 md:grid-cols-2" data-testid="seo-new-form">
      <div className="md:col-span-2">
        <TextField
          label={st('new.url')}
          hint={st('new.urlHint')}
          type="url"
          required
          value={url}
          onChange={setUrl}
          error={errors.url}
          testId="seo-new-url"
          placeholder="https://"
        />
      </div>
      <TextField
        label={st('new.maxPages')}
        hint={st('new.maxPagesHint')}
        inputMode="numeric"
        required
        value={maxPages}
        onChange={setMaxPages}
        error={errors.maxPages}
        testId="seo-new-max-pages"
      />
      <SelectField
        label={st('new.site')}
        value={siteId}
        options={siteOptions}
        onChange={setSiteId}
        error={errors.siteId}
        testId="seo-new-site"
      />
      <SelectField
        label={st('new.compare')}
        value={compareTo}
        options={compareOptions}
        onChange={setCompareTo}
        error={errors.compareTo}
        testId="seo-new-compare"
      />
      {formError && (
        <p role="alert" className="text-sm text-red-700 md:col-span-2">
          <bdi>{formError}</bdi>
        </p>
      )}
      <div className="md:col-span-2">
        <Button type="submit" variant="primary" busy={start.isPending} testId="seo-new-submit">
          {start.isPending ? st('new.submitting') : st('new.submit')}
        </Button>
      </div>
    </form>
  );
}
