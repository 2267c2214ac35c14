import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { ArrowStartIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { MessageLog } from '../messaging/MessageLog.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { getContact, listAttributes } from './api.ts';
import { ConsentPanel } from './ConsentPanel.tsx';
import { ContactProfile } from './ContactProfile.tsx';
import { displayName } from './contactForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { attributesKey, canWriteAudience, contactKey } from './keys.ts';

/** `/contacts/:id`: one person's profile (editable) and consent per channel. */
export function ContactScreen({ id }: { id: string }) {
  const { workspace } = useSession();
  if (!workspace) return <HomeScreen />;
  return <ContactPage ws={workspace.id} id={id} write={canWriteAudience(workspace.role)} />;
}

function ContactPage({ ws, id, write }: { ws: string; id: string; write: boolean }) {
  const { at } = useAudienceI18n();
  const contact = useQuery({ queryKey: contactKey(ws, id), queryFn: () => getContact(ws, id) });
  const attributes = useQuery({ queryKey: attributesKey(ws), queryFn: () => listAttributes(ws) });
  const c = contact.data?.contact;
  const name = c ? (displayName(c) ?? c.email ?? c.phone ?? '') : at('title');
  const missing = contact.error instanceof ApiError && contact.error.status === 404;
  return (
    <div className="space-y-6" data-testid="contact-page">
      <Link
        to="/contacts"
        className="inline-flex items-center gap-2 text-sm font-medium text-teal-800 hover:underline"
      >
        <ArrowStartIcon className="size-4 rtl:-scale-x-100" />
        {at('contact.back')}
      </Link>
      <PageTitle title={name}>
        <bdi>{name}</bdi>
      </PageTitle>
      {(contact.isPending || attributes.isPending) && <Loading />}
      {missing && (
        <p role="alert" className="text-sm text-zinc-700" data-testid="contact-not-found">
          {at('contact.notFound')}
        </p>
      )}
      {contact.isError && !missing && <LoadError error={contact.error} onRetry={() => contact.refetch()} />}
      {attributes.isError && <LoadError error={attributes.error} onRetry={() => attributes.refetch()} />}
      {c && attributes.data && (
        <div className="grid items-start gap-6 xl:grid-cols-2">
          <ContactProfile ws={ws} contact={c} defs={attributes.data.attributes} write={write} />
          <ConsentPanel ws={ws} contactId={c.id} write={write} />
        </div>
      )}
      {c && <MessageLog ws={ws} contactId={c.id} />}
    </div>
  );
}
