import { useMutation } from '@tanstack/react-query';
import { Button } from '../components/Button.tsx';
import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';
import { cancelAudit, type SeoAudit } from './api.ts';
import type { SeoI18n } from './i18n.ts';
import { auditsKey } from './keys.ts';
import { isActive } from './logic.ts';
import { AuditProgress, StatusPill } from './parts.tsx';

export function AuditsTable({
  ws,
  audits,
  write,
  i18n,
}: {
  ws: string;
  audits: SeoAudit[];
  write: boolean;
  i18n: SeoI18n;
}) {
  const { st, number, date } = i18n;
  const cancel = useMutation({
    mutationFn: (id: string) => cancelAudit(ws, id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: auditsKey(ws) }),
  });
  if (audits.length === 0) return <p className="text-sm text-zinc-600">{st('list.empty')}</p>;
  const counts = (a: SeoAudit) => a.summary?.findings;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass}>
        <thead className="border-b border-zinc-200">
          <tr>
            <th className={thClass}>{st('col.url')}</th>
            <th className={thClass}>{st('col.status')}</th>
            <th className={thClass}>{st('col.score')}</th>
            <th className={thClass}>{st('col.pages')}</th>
            <th className={thClass}>{st('col.critical')}</th>
            <th className={thClass}>{st('col.warning')}</th>
            <th className={thClass}>{st('col.notice')}</th>
            <th className={thClass}>{st('col.date')}</th>
            <th className={thClass}>
              <span className="sr-only">{st('col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {audits.map((a) => (
            <tr key={a.id} data-testid="audit-row" data-id={a.id}>
              <td className={`${tdClass} max-w-72 whitespace-normal`}>
                <Link
                  to={`/seo/audits/${a.id}`}
                  className="text-teal-800 hover:underline"
                  data-testid="audit-link"
                >
                  <bdi dir="ltr" className="break-all">
                    {a.startUrl}
                  </bdi>
                </Link>
              </td>
              <td className={tdClass}>
                <div className="space-y-1">
                  <StatusPill status={a.status} i18n={i18n} />
                  {isActive(a.status) && <AuditProgress audit={a} i18n={i18n} />}
                </div>
              </td>
              <td className={`${tdClass} font-semibold tabular-nums`} data-testid="audit-score">
                {a.score === null ? st('none') : number(a.score)}
              </td>
              <td className={`${tdClass} tabular-nums`}>
                {number(a.summary?.pages ?? a.progress.pagesDone)}
              </td>
              <td className={`${tdClass} tabular-nums text-red-800`}>{fmt(counts(a)?.critical)}</td>
              <td className={`${tdClass} tabular-nums text-amber-900`}>{fmt(counts(a)?.warning)}</td>
              <td className={`${tdClass} tabular-nums text-sky-800`}>{fmt(counts(a)?.notice)}</td>
              <td className={tdClass}>{date(a.createdAt)}</td>
              <td className={tdClass}>
                {write && isActive(a.status) && !a.cancelRequested && (
                  <Button
                    variant="dangerGhost"
                    busy={cancel.isPending && cancel.variables === a.id}
                    aria-label={st('cancelLabel', { url: a.startUrl })}
                    onClick={() => cancel.mutate(a.id)}
                    testId="audit-cancel"
                  >
                    {cancel.isPending && cancel.variables === a.id ? st('cancelling') : st('cancel')}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  function fmt(n: number | undefined) {
    return n === undefined ? st('none') : number(n);
  }
}
