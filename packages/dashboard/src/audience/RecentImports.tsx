import { useQuery } from '@tanstack/react-query';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import { listImports } from './api.ts';
import { StatusPill } from './ImportProgressScreen.tsx';
import { useAudienceI18n } from './i18n.ts';
import { isFinished } from './importState.ts';
import { importsKey } from './keys.ts';

/** The workspace's latest imports; refreshed while one of them still runs. */
export function RecentImports({ ws }: { ws: string }) {
  const i18n = useAudienceI18n();
  const { at, ap, date } = i18n;
  const query = useQuery({
    queryKey: importsKey(ws),
    queryFn: () => listImports(ws),
    refetchInterval: (q) => (q.state.data?.imports.some((i) => !isFinished(i.status)) ? 2000 : false),
  });
  const imports = query.data?.imports ?? [];
  return (
    <Section title={at('recent.title')} testId="recent-imports">
      {query.isPending && <Loading />}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.data && imports.length === 0 && <p className="text-sm text-zinc-600">{at('recent.empty')}</p>}
      {imports.length > 0 && (
        <div className="relative -mx-5 overflow-x-auto">
          <table className={tableClass}>
            <thead className="border-b border-zinc-200">
              <tr>
                <th scope="col" className={`${thClass} ps-5`}>
                  {at('recent.colFile')}
                </th>
                <th scope="col" className={thClass}>
                  {at('recent.colStatus')}
                </th>
                <th scope="col" className={thClass}>
                  {at('recent.colStarted')}
                </th>
                <th scope="col" className={`${thClass} pe-5`}>
                  {at('recent.colResult')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {imports.map((imp) => (
                <tr key={imp.id} data-testid="recent-import">
                  <td className={`${tdClass} ps-5 font-medium`}>
                    <Link to={`/contacts/imports/${imp.id}`} className="text-teal-800 hover:underline">
                      <bdi>{imp.fileName}</bdi>
                    </Link>
                  </td>
                  <td className={tdClass}>
                    <StatusPill status={imp.status} i18n={i18n} />
                  </td>
                  <td className={`${tdClass} text-zinc-700`}>
                    <time dateTime={imp.createdAt}>{date(imp.createdAt)}</time>
                  </td>
                  <td className={`${tdClass} pe-5 text-zinc-700`}>
                    {at('recent.result', { added: imp.inserted, updated: imp.updated })} ·{' '}
                    {ap('progress.errors', imp.failed)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
