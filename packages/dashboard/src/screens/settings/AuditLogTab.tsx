import { useInfiniteQuery } from '@tanstack/react-query';
import { AUDIT_PAGE_SIZE, type AuditCursor, listAuditLog } from '../../api/auditLog.ts';
import type { AuditEntry } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { summarizeDetails } from '../../lib/summarizeDetails.ts';

export function AuditLogTab({ ws }: { ws: string }) {
  const { t, tp } = useI18n();
  const query = useInfiniteQuery({
    queryKey: ['auditLog', ws],
    queryFn: ({ pageParam }) => listAuditLog(ws, pageParam),
    initialPageParam: undefined as AuditCursor | undefined,
    // A short page is the last one; otherwise continue before the oldest entry seen.
    getNextPageParam: (last): AuditCursor | undefined => {
      const oldest = last.entries.at(-1);
      return last.entries.length < AUDIT_PAGE_SIZE || !oldest
        ? undefined
        : { before: oldest.createdAt, beforeId: oldest.id };
    },
  });
  const entries = newestFirst(query.data?.pages.flatMap((page) => page.entries) ?? []);
  return (
    <Section
      title={t('settings.tab.auditLog')}
      description={t('audit.intro')}
      aside={
        query.data && (
          <span role="status" data-testid="audit-count">
            {tp('audit.shown', entries.length)}
          </span>
        )
      }
      testId="audit-log"
    >
      {query.isPending && <Loading />}
      {query.isError && !query.data && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {entries.length > 0 && (
        <div className="relative -mx-5 overflow-x-auto">
          <table className={tableClass}>
            <thead className="border-b border-zinc-200">
              <tr>
                <th scope="col" className={`${thClass} ps-5`}>
                  {t('audit.colTime')}
                </th>
                <th scope="col" className={thClass}>
                  {t('audit.colActor')}
                </th>
                <th scope="col" className={thClass}>
                  {t('audit.colAction')}
                </th>
                <th scope="col" className={thClass}>
                  {t('audit.colTarget')}
                </th>
                <th scope="col" className={`${thClass} pe-5`}>
                  {t('audit.colDetails')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.data && (
        <div className="mt-5 flex items-center gap-4">
          {query.hasNextPage ? (
            <Button
              onClick={() => query.fetchNextPage()}
              busy={query.isFetchingNextPage}
              testId="audit-load-more"
            >
              {query.isFetchingNextPage ? t('audit.loadingMore') : t('audit.loadMore')}
            </Button>
          ) : (
            <p className="text-sm text-zinc-600">{t('audit.end')}</p>
          )}
          {query.isFetchNextPageError && (
            <LoadError error={query.error} onRetry={() => query.fetchNextPage()} />
          )}
        </div>
      )}
    </Section>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t, date } = useI18n();
  const details = summarizeDetails(entry.details);
  return (
    <tr data-testid="audit-row">
      <td className={`${tdClass} ps-5 text-zinc-700`}>
        <time dateTime={entry.createdAt}>{date(entry.createdAt)}</time>
      </td>
      <td className={tdClass}>
        {entry.actor.name && <span className="block font-medium">{entry.actor.name}</span>}
        <span className={entry.actor.name ? 'block text-xs text-zinc-600' : 'block'}>
          {t(`audit.actor.${entry.actor.type}`)}
        </span>
      </td>
      <td className={tdClass}>
        <code dir="ltr" className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-800">
          {entry.action}
        </code>
      </td>
      <td className={`${tdClass} max-w-48 truncate`}>
        <bdi>{entry.target ?? '—'}</bdi>
      </td>
      <td className={`${tdClass} pe-5 max-w-72 truncate text-xs text-zinc-600`} title={details}>
        <span dir="ltr">{details}</span>
      </td>
    </tr>
  );
}

const newestFirst = (entries: AuditEntry[]) => {
  const unique = new Map(entries.map((entry) => [entry.id, entry]));
  return [...unique.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
};
