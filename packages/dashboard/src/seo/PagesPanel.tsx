import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import { listPages } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { pagesKey } from './keys.ts';
import { Url } from './parts.tsx';

/** The crawled pages, 100 at a time. Titles and keywords keep their own direction (`dir="auto"`). */
export function PagesPanel({ ws, id, i18n }: { ws: string; id: string; i18n: SeoI18n }) {
  const { st, number, sp } = i18n;
  const pages = useInfiniteQuery({
    queryKey: pagesKey(ws, id),
    queryFn: ({ pageParam }) => listPages(ws, id, pageParam),
    initialPageParam: 0,
    getNextPageParam: (last, all) => {
      const loaded = all.reduce((n, p) => n + p.pages.length, 0);
      return loaded < last.total ? loaded : undefined;
    },
  });
  if (pages.isPending) return <Loading />;
  if (pages.isError) return <LoadError error={pages.error} onRetry={() => pages.refetch()} />;
  const rows = pages.data.pages.flatMap((p) => p.pages);
  const total = pages.data.pages[0]?.total ?? 0;
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-600" data-testid="pages-count">
        {sp('count.pages', total)}
      </p>
      <div className="overflow-x-auto">
        <table className={tableClass} data-testid="pages-table">
          <thead className="border-b border-zinc-200">
            <tr>
              <th className={thClass}>{st('pages.url')}</th>
              <th className={thClass}>{st('pages.status')}</th>
              <th className={thClass}>{st('pages.depth')}</th>
              <th className={thClass}>{st('pages.ttfb')}</th>
              <th className={thClass}>{st('pages.title')}</th>
              <th className={thClass}>{st('pages.words')}</th>
              <th className={thClass}>{st('pages.keywords')}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.map((p) => (
              <tr key={p.url} data-testid="page-row">
                <td className={`${tdClass} max-w-64 whitespace-normal`}>
                  <Url href={p.url}>{p.url}</Url>
                </td>
                <td className={`${tdClass} tabular-nums ${p.status >= 400 || p.error ? 'text-red-700' : ''}`}>
                  {p.error ? <bdi title={p.error}>{st('none')}</bdi> : number(p.status)}
                </td>
                <td className={`${tdClass} tabular-nums`}>{number(p.depth)}</td>
                <td className={`${tdClass} tabular-nums`}>
                  {p.timings?.ttfbMs === undefined
                    ? st('none')
                    : st('ms', { value: Math.round(p.timings.ttfbMs) })}
                </td>
                <td className={`${tdClass} max-w-64 whitespace-normal`} dir="auto" data-testid="page-title">
                  {p.title ?? <span className="text-zinc-500">{st('pages.noTitle')}</span>}
                </td>
                <td className={`${tdClass} tabular-nums`}>
                  {p.wordCount === undefined ? st('none') : number(p.wordCount)}
                </td>
                <td className={`${tdClass} whitespace-normal`}>
                  <ul className="flex flex-wrap gap-1" data-testid="page-keywords">
                    {p.keywords.slice(0, 5).map((k) => (
                      <li key={k.surface} dir="auto" className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs">
                        {k.surface}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages.hasNextPage && (
        <Button busy={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()} testId="pages-more">
          {st('pages.more')}
        </Button>
      )}
    </div>
  );
}
