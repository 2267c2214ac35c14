import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, buttonClass } from '../components/Button.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { AudienceLayout } from './AudienceLayout.tsx';
import { type ContactImport, cancelImport, getImport, importErrorsCsvUrl, listImportErrors } from './api.ts';
import { type AudienceI18n, useAudienceI18n } from './i18n.ts';
import { formatBytes, isFinished, progressOf } from './importState.ts';
import { canWriteAudience, contactsKey, importKey, importsKey } from './keys.ts';
import { ProblemsTable } from './ProblemsTable.tsx';

const POLL_MS = 1000;

/** `/contacts/imports/:id`: an import's progress, polled every second until it ends, then its summary. */
export function ImportProgressScreen({ id }: { id: string }) {
  const { workspace } = useSession();
  const { at } = useAudienceI18n();
  if (!workspace) return <HomeScreen />;
  return (
    <AudienceLayout tab="import" title={at('import.title')}>
      <ImportProgress ws={workspace.id} id={id} write={canWriteAudience(workspace.role)} />
    </AudienceLayout>
  );
}

function ImportProgress({ ws, id, write }: { ws: string; id: string; write: boolean }) {
  const i18n = useAudienceI18n();
  const { at, t } = i18n;
  const [asking, setAsking] = useState(false);
  const query = useQuery({
    queryKey: importKey(ws, id),
    queryFn: async () => {
      const { import: imp } = await getImport(ws, id);
      // Rows written so far show on the contacts page; the list of imports shows the new state.
      if (isFinished(imp.status)) {
        queryClient.invalidateQueries({ queryKey: contactsKey(ws) });
        queryClient.invalidateQueries({ queryKey: importsKey(ws) });
      }
      return imp;
    },
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) ? false : POLL_MS),
    staleTime: 0,
  });
  const imp = query.data;
  const finished = imp ? isFinished(imp.status) : false;
  const problems = useQuery({
    queryKey: [...importKey(ws, id), 'errors'],
    queryFn: () => listImportErrors(ws, id),
    enabled: finished && (imp?.failed ?? 0) + (imp?.skipped ?? 0) > 0,
  });
  const cancel = useMutation({
    mutationFn: () => cancelImport(ws, id),
    onSuccess: () => {
      setAsking(false);
      query.refetch();
    },
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  if (!imp) return null;
  return (
    <Section
      title={at('progress.title', { file: imp.fileName })}
      aside={<StatusPill status={imp.status} i18n={i18n} />}
      testId="import-progress"
    >
      <div className="space-y-6" data-status={imp.status}>
        <ProgressBar imp={imp} i18n={i18n} />
        <Counts imp={imp} i18n={i18n} />
        {imp.status === 'failed' && imp.error && (
          <p role="alert" className="text-sm text-red-700">
            <bdi>{at('progress.failedBecause', { error: imp.error })}</bdi>
          </p>
        )}
        {!finished && write && (
          <Button variant="dangerGhost" onClick={() => setAsking(true)} testId="import-cancel">
            {at('progress.cancel')}
          </Button>
        )}
        {finished && (
          <div className="space-y-4" data-testid="import-summary">
            <p className="text-sm font-medium text-zinc-900" data-testid="import-errors-count">
              {i18n.ap('progress.errors', imp.failed)}
            </p>
            {problems.isError && <LoadError error={problems.error} onRetry={() => problems.refetch()} />}
            {problems.data && problems.data.errors.length > 0 && (
              <div className="space-y-3">
                <div className="flex flex-wrap items-center justify-between gap-3">
                  <h3 className="text-sm font-semibold text-zinc-900">{at('progress.firstProblems')}</h3>
                  <a
                    href={importErrorsCsvUrl(ws, id)}
                    download
                    className={buttonClass('secondary')}
                    data-testid="import-errors-csv"
                  >
                    {at('progress.download')}
                  </a>
                </div>
                <ProblemsTable problems={problems.data.errors} testId="import-problems" />
              </div>
            )}
            <div className="flex flex-wrap gap-3">
              <Link to="/contacts" className={buttonClass('primary')} data-testid="import-view-contacts">
                {at('progress.viewContacts')}
              </Link>
              <Link to="/contacts/import" className={buttonClass('secondary')}>
                {at('progress.newImport')}
              </Link>
            </div>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={asking}
        title={at('progress.cancelTitle')}
        confirmLabel={at('progress.cancelConfirm')}
        busy={cancel.isPending}
        error={cancel.isError ? errorMessage(cancel.error, t) : null}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setAsking(false)}
      >
        {at('progress.cancelBody')}
      </ConfirmDialog>
    </Section>
  );
}

function ProgressBar({ imp, i18n }: { imp: ContactImport; i18n: AudienceI18n }) {
  const { at, tag } = i18n;
  const fraction = progressOf(imp);
  const percent = fraction === null ? null : Math.round(fraction * 100);
  const percentText =
    fraction === null
      ? ''
      : new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
  const bytes =
    imp.bytesTotal === null
      ? ''
      : at('progress.bytes', {
          read: formatBytes(tag, imp.bytesRead),
          total: formatBytes(tag, imp.bytesTotal),
        });
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        <span className="font-medium text-zinc-900" data-testid="import-percent">
          {percentText}
        </span>
        <span className="text-zinc-600">{bytes}</span>
      </div>
      <div
        role="progressbar"
        aria-label={at('progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? undefined : `${percentText} ${bytes}`}
        data-testid="import-progressbar"
        className="h-3 overflow-hidden rounded-full bg-zinc-200"
      >
        {/* The bar fills from the inline start: the right in Arabic. */}
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${imp.status === 'failed' ? 'bg-red-600' : imp.status === 'cancelled' ? 'bg-zinc-500' : 'bg-teal-700'} ${fraction === null ? 'w-1/3 animate-pulse' : ''}`}
          style={fraction === null ? undefined : { width: `${fraction * 100}%` }}
        />
      </div>
    </div>
  );
}

function Counts({ imp, i18n }: { imp: ContactImport; i18n: AudienceI18n }) {
  const { at, number } = i18n;
  const items = [
    ['rowsRead', at('progress.rowsRead'), imp.rowsRead],
    ['inserted', at('progress.added'), imp.inserted],
    ['updated', at('progress.updated'), imp.updated],
    ['skipped', at('progress.skipped'), imp.skipped],
    ['failed', at('progress.failed'), imp.failed],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {items.map(([key, label, value]) => (
        <div key={key} className="rounded-lg border border-zinc-200 px-3 py-2">
          <dt className="text-xs font-medium text-zinc-600">{label}</dt>
          <dd
            className={`mt-1 text-xl font-semibold ${key === 'failed' && value > 0 ? 'text-red-700' : 'text-zinc-900'}`}
            data-testid={`import-count-${key}`}
          >
            {number(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const PILL: Record<ContactImport['status'], string> = {
  running: 'bg-sky-50 text-sky-800',
  done: 'bg-emerald-50 text-emerald-800',
  failed: 'bg-red-50 text-red-800',
  cancelled: 'bg-zinc-100 text-zinc-700',
};

export function StatusPill({ status, i18n }: { status: ContactImport['status']; i18n: AudienceI18n }) {
  return (
    <span
      data-testid="import-status"
      data-status={status}
      className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${PILL[status]}`}
    >
      {i18n.at(`importStatus.${status}`)}
    </span>
  );
}
