import { useQuery } from '@tanstack/react-query';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { listContactMessages, type Message } from './api.ts';
import { type MessagingI18n, useMessagingI18n } from './i18n.ts';
import { contactMessagesKey } from './keys.ts';
import { channelLabel, MessageStatus, Pill } from './parts.tsx';

const SOURCES = ['campaign', 'transactional', 'system', 'journey'] as const;
type KnownSource = (typeof SOURCES)[number];
const isKnownSource = (kind: string): kind is KnownSource => (SOURCES as readonly string[]).includes(kind);

/** A contact's messages, newest first: channel, status (with why it was skipped or is waiting), time, what. */
export function MessageLog({ ws, contactId }: { ws: string; contactId: string }) {
  const i18n = useMessagingI18n();
  const { mt, mp } = i18n;
  const messages = useQuery({
    queryKey: contactMessagesKey(ws, contactId),
    queryFn: () => listContactMessages(ws, contactId),
  });
  return (
    <Section
      title={mt('log.title')}
      aside={
        messages.data && (
          <span data-testid="messages-count">{mp('count.messages', messages.data.messages.length)}</span>
        )
      }
      testId="contact-messages"
    >
      {messages.isPending ? (
        <Loading />
      ) : messages.isError ? (
        <LoadError error={messages.error} onRetry={() => messages.refetch()} />
      ) : messages.data.messages.length === 0 ? (
        <p className="text-sm text-zinc-600">{mt('log.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableClass}>
            <thead className="border-b border-zinc-200">
              <tr>
                <th className={thClass}>{mt('log.channel')}</th>
                <th className={thClass}>{mt('log.status')}</th>
                <th className={thClass}>{mt('log.time')}</th>
                <th className={thClass}>{mt('log.what')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {messages.data.messages.map((m) => (
                <MessageRow key={m.id} message={m} i18n={i18n} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function MessageRow({ message: m, i18n }: { message: Message; i18n: MessagingI18n }) {
  const { mt, date } = i18n;
  const notes = [
    m.skipReason && mt('log.skipped', { reason: m.skipReason }),
    m.waiting && mt('log.waiting', { reason: m.waiting }),
    m.lastError && mt('log.error', { error: m.lastError }),
  ].filter((note): note is string => Boolean(note));
  return (
    <tr data-testid="message-row" data-id={m.id} data-status={m.status} data-in-doubt={m.inDoubt}>
      <td className={tdClass}>{channelLabel(m.channel, i18n)}</td>
      <td className={`${tdClass} max-w-96 whitespace-normal`}>
        <div className="flex flex-wrap items-center gap-1.5">
          <MessageStatus status={m.status} i18n={i18n} />
          {m.inDoubt && (
            <span title={mt('log.inDoubtHint')} data-testid="message-in-doubt">
              <Pill tone="warn">{mt('log.inDoubt')}</Pill>
            </span>
          )}
        </div>
        {m.inDoubt && <p className="mt-1 text-xs text-zinc-600">{mt('log.inDoubtHint')}</p>}
        {notes.map((note) => (
          <p key={note} className="mt-1 text-xs text-zinc-600" data-testid="message-note">
            <bdi>{note}</bdi>
          </p>
        ))}
      </td>
      <td className={tdClass}>
        <time dateTime={m.sentAt ?? m.createdAt}>{date(m.sentAt ?? m.createdAt)}</time>
      </td>
      <td className={`${tdClass} whitespace-normal`}>
        <span>{isKnownSource(m.sourceKind) ? mt(`source.${m.sourceKind}`) : m.sourceKind}</span>
        <span className="ms-2 text-xs text-zinc-600">
          {m.marketing ? mt('log.marketing') : mt('log.transactional')}
        </span>
      </td>
    </tr>
  );
}
