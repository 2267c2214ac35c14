import { useInfiniteQuery } from '@tanstack/react-query';
import { ContactsTable } from '../audience/ContactsTable.tsx';
import { Button, buttonClass } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { listMembers, membersCsvUrl, type Segment } from './api.ts';
import { useSegmentsI18n } from './i18n.ts';
import { membersKey } from './keys.ts';

/** The segment's members, a page at a time (the server's `after` cursor), and the CSV of them all. */
export function MembersPanel({ ws, segment }: { ws: string; segment: Segment }) {
  const { st, sp } = useSegmentsI18n();
  const query = useInfiniteQuery({
    queryKey: membersKey(ws, segment.id),
    queryFn: ({ pageParam }) => listMembers(ws, segment.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const contacts = query.data?.pages.flatMap((p) => p.contacts) ?? [];
  return (
    <div className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-700" data-testid="segment-member-count">
          {sp('members.count', segment.memberCount)}
        </p>
        <a
          href={membersCsvUrl(ws, segment.id)}
          download
          className={buttonClass()}
          data-testid="segment-export"
        >
          {st('members.export')}
        </a>
      </div>
      {query.isPending && <Loading />}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.data && contacts.length === 0 && <p className="text-sm text-zinc-600">{st('members.none')}</p>}
      {contacts.length > 0 && <ContactsTable contacts={contacts} />}
      {query.hasNextPage ? (
        <Button busy={query.isFetchingNextPage} onClick={() => query.fetchNextPage()} testId="members-more">
          {st('members.more')}
        </Button>
      ) : (
        contacts.length > 0 && <p className="text-sm text-zinc-600">{st('members.end')}</p>
      )}
    </div>
  );
}
