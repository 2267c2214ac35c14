import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button, buttonClass } from '../components/Button.tsx';
import { fieldClass } from '../components/FieldShell.tsx';
import { PlusIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { AddContactDialog, type Added } from './AddContactDialog.tsx';
import { AudienceLayout } from './AudienceLayout.tsx';
import { listContacts } from './api.ts';
import { Warnings } from './ContactFields.tsx';
import { ContactsTable } from './ContactsTable.tsx';
import { displayName } from './contactForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { canWriteAudience, contactsKey } from './keys.ts';
import { useDebounced } from './useDebounced.ts';

/** `/contacts`: the audience, newest first, searchable, a page at a time. */
export function ContactsScreen() {
  const { workspace } = useSession();
  if (!workspace) return <HomeScreen />;
  return <Contacts ws={workspace.id} write={canWriteAudience(workspace.role)} />;
}

function Contacts({ ws, write }: { ws: string; write: boolean }) {
  const { at, ap } = useAudienceI18n();
  const [typed, setTyped] = useState('');
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<Added | null>(null);
  const search = useDebounced(typed.trim(), 300);
  const searchId = useId();
  const query = useInfiniteQuery({
    queryKey: [...contactsKey(ws), search],
    queryFn: ({ pageParam }) => listContacts(ws, { search, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // The last results stay while the next search loads, so the table does not flash empty.
    placeholderData: keepPreviousData,
  });
  const contacts = query.data?.pages.flatMap((page) => page.contacts) ?? [];
  const empty = query.data && contacts.length === 0;

  const addButton = write && (
    <Button variant="primary" onClick={() => setAdding(true)} testId="contact-add-open">
      <PlusIcon className="size-4" />
      {at('add')}
    </Button>
  );

  return (
    <AudienceLayout
      tab="contacts"
      title={at('title')}
      actions={
        write && (
          <>
            <Link
              to="/contacts/import"
              className={buttonClass('secondary')}
              data-testid="contacts-import-link"
            >
              {at('empty.import')}
            </Link>
            {addButton}
          </>
        )
      }
    >
      {write && (
        <AddContactDialog ws={ws} open={adding} onClose={() => setAdding(false)} onAdded={setAdded} />
      )}
      <div role="status" data-testid="contact-added">
        {added && (
          <div className="space-y-2">
            <p className="text-sm text-emerald-800">
              {at('added', {
                name: displayName(added.contact) ?? added.contact.email ?? added.contact.phone ?? '',
              })}{' '}
              <Link to={`/contacts/${added.contact.id}`} className="font-medium underline">
                {at('contact.profile')}
              </Link>
            </p>
            <Warnings warnings={added.warnings} defs={[]} />
          </div>
        )}
      </div>
      {empty && search === '' && !query.isPlaceholderData ? (
        <EmptyState write={write} onAdd={() => setAdding(true)} />
      ) : (
        <Section
          title={at('tab.contacts')}
          aside={
            query.data && (
              <span role="status" data-testid="contacts-count">
                {ap('contacts.count', contacts.length)}
                {query.hasNextPage && ` · ${at('contacts.more')}`}
              </span>
            )
          }
          testId="contacts"
        >
          <div className="mb-4 max-w-md space-y-1.5">
            <label htmlFor={searchId} className="block text-sm font-medium text-zinc-800">
              {at('contacts.search')}
            </label>
            <input
              id={searchId}
              type="search"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              dir="auto"
              autoComplete="off"
              aria-describedby={`${searchId}-hint`}
              data-testid="contacts-search"
              className={`${fieldClass} border-zinc-300`}
            />
            <p id={`${searchId}-hint`} className="text-xs text-zinc-600">
              {at('contacts.searchHint')}
            </p>
          </div>
          {query.isPending && <Loading />}
          {query.isError && !query.data && <LoadError error={query.error} onRetry={() => query.refetch()} />}
          {empty && search !== '' && (
            <p className="py-4 text-sm text-zinc-600" data-testid="contacts-no-match">
              {at('contacts.noMatch', { query: search })}
            </p>
          )}
          {contacts.length > 0 && <ContactsTable contacts={contacts} />}
          {contacts.length > 0 && (
            <div className="mt-5 flex items-center gap-4">
              {query.hasNextPage ? (
                <Button
                  onClick={() => query.fetchNextPage()}
                  busy={query.isFetchingNextPage}
                  testId="contacts-load-more"
                >
                  {query.isFetchingNextPage ? at('contacts.loadingMore') : at('contacts.loadMore')}
                </Button>
              ) : (
                <p className="text-sm text-zinc-600">{at('contacts.end')}</p>
              )}
              {query.isFetchNextPageError && (
                <LoadError error={query.error} onRetry={() => query.fetchNextPage()} />
              )}
            </div>
          )}
        </Section>
      )}
    </AudienceLayout>
  );
}

function EmptyState({ write, onAdd }: { write: boolean; onAdd: () => void }) {
  const { at } = useAudienceI18n();
  return (
    <section
      data-testid="contacts-empty"
      className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center"
    >
      <h2 className="text-lg font-semibold text-zinc-900">{at('empty.title')}</h2>
      <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600">{at('empty.body')}</p>
      {write ? (
        <div className="mt-6 flex flex-wrap justify-center gap-3">
          <Link to="/contacts/import" className={buttonClass('primary')} data-testid="contacts-empty-import">
            {at('empty.import')}
          </Link>
          <Button onClick={onAdd} testId="contacts-empty-add">
            <PlusIcon className="size-4" />
            {at('add')}
          </Button>
        </div>
      ) : (
        <p className="mt-4 text-sm text-zinc-600">{at('readOnly')}</p>
      )}
    </section>
  );
}
