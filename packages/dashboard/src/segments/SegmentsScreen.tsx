import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { AudienceLayout } from '../audience/AudienceLayout.tsx';
import { canWriteAudience } from '../audience/keys.ts';
import { Button, buttonClass } from '../components/Button.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { tableClass, tdClass, thClass } from '../components/Section.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { deleteSegment, listSegments, type Segment } from './api.ts';
import { useSegmentsI18n } from './i18n.ts';
import { segmentsKey } from './keys.ts';

/** `/contacts/segments`: every segment with its live member count. */
export function SegmentsScreen() {
  const { workspace } = useSession();
  if (!workspace) return <HomeScreen />;
  return <Segments ws={workspace.id} write={canWriteAudience(workspace.role)} />;
}

function Segments({ ws, write }: { ws: string; write: boolean }) {
  const { st, sp, t, date } = useSegmentsI18n();
  const query = useQuery({ queryKey: segmentsKey(ws), queryFn: () => listSegments(ws) });
  const [doomed, setDoomed] = useState<Segment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const removal = useMutation({
    mutationFn: (s: Segment) => deleteSegment(ws, s.id),
    onSuccess: (_, s) => {
      setDoomed(null);
      setDone(st('delete.done', { name: s.name }));
      return queryClient.invalidateQueries({ queryKey: segmentsKey(ws) });
    },
    // A refusal means the list is behind (a segment using this one may be new): fetch it again.
    onError: () => queryClient.invalidateQueries({ queryKey: segmentsKey(ws) }),
  });
  const removalError = (() => {
    const e = removal.error;
    if (!e || !doomed) return null;
    // 409: another segment refers to this one; the server's message names it.
    if (e instanceof ApiError && e.status === 409)
      return st('delete.inUse', { name: doomed.name, reason: e.message });
    return errorMessage(e, t);
  })();

  return (
    <AudienceLayout
      tab="segments"
      title={st('title')}
      actions={
        write && (
          <Link to="/contacts/segments/new" className={buttonClass('primary')} data-testid="segment-new">
            {st('new')}
          </Link>
        )
      }
    >
      <div role="status" data-testid="segment-deleted" className="text-sm text-emerald-800">
        {done}
      </div>
      {query.isPending && <Loading />}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.data && query.data.segments.length === 0 && (
        <p
          className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600"
          data-testid="segments-empty"
        >
          {st('list.empty')}
        </p>
      )}
      {query.data && query.data.segments.length > 0 && (
        <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white">
          <table className={tableClass}>
            <thead className="border-b border-zinc-200 bg-zinc-50">
              <tr>
                <th className={`${thClass} ps-5`}>{st('list.name')}</th>
                <th className={thClass}>{st('list.members')}</th>
                <th className={thClass}>{st('list.evaluated')}</th>
                {write && (
                  <th className={thClass}>
                    <span className="sr-only">{st('delete')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {query.data.segments.map((s) => (
                <tr key={s.id} data-testid="segment-row">
                  <td className={`${tdClass} ps-5 font-medium`}>
                    <Link
                      to={`/contacts/segments/${s.id}`}
                      className="text-teal-800 hover:underline"
                      data-testid="segment-link"
                    >
                      <bdi>{s.name}</bdi>
                    </Link>
                  </td>
                  <td className={tdClass} data-testid="segment-count">
                    {sp('members.count', s.memberCount)}
                  </td>
                  <td className={tdClass}>
                    {s.evaluatedAt ? date(s.evaluatedAt, 'dateTime') : st('list.never')}
                  </td>
                  {write && (
                    <td className={`${tdClass} text-end`}>
                      <Button
                        variant="dangerGhost"
                        testId="segment-delete"
                        onClick={() => {
                          removal.reset();
                          setDoomed(s);
                        }}
                      >
                        {st('delete')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={doomed !== null}
        title={st('delete.confirm', { name: doomed?.name ?? '' })}
        confirmLabel={st('delete')}
        busy={removal.isPending}
        error={removalError}
        onConfirm={() => doomed && removal.mutate(doomed)}
        onCancel={() => setDoomed(null)}
      >
        {doomed && sp('members.count', doomed.memberCount)}
      </ConfirmDialog>
    </AudienceLayout>
  );
}
