import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { fieldClass } from '../components/FieldShell.tsx';
import { StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tdClass, thClass } from '../components/Section.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import {
  CHANNELS,
  type Channel,
  CONSENT_STATUSES,
  type Consent,
  type ConsentStatus,
  listConsents,
  listTopics,
  setConsent,
} from './api.ts';
import { type AudienceI18n, useAudienceI18n } from './i18n.ts';
import { consentsKey, topicsKey } from './keys.ts';

/** What is being changed: a channel, or a topic on the email channel (where newsletters live). */
interface Target {
  channel: Channel;
  topicId?: string;
  name: string;
}

interface Pending {
  target: Target;
  status: ConsentStatus;
}

const SOURCE = 'dashboard';

/** Consent per channel and per subscription topic, each with its source and date; changes are confirmed. */
export function ConsentPanel({ ws, contactId, write }: { ws: string; contactId: string; write: boolean }) {
  const i18n = useAudienceI18n();
  const { at, t } = i18n;
  const consents = useQuery({
    queryKey: consentsKey(ws, contactId),
    queryFn: () => listConsents(ws, contactId),
  });
  const topics = useQuery({ queryKey: topicsKey(ws), queryFn: () => listTopics(ws) });
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (p: Pending) =>
      setConsent(ws, contactId, {
        channel: p.target.channel,
        ...(p.target.topicId ? { topicId: p.target.topicId } : {}),
        status: p.status,
        source: SOURCE,
      }),
    onSuccess: ({ consent }, p) => {
      // The answer is the new row: shown at once, without waiting for a new list.
      queryClient.setQueryData<{ consents: Consent[] }>(consentsKey(ws, contactId), (old) => ({
        consents: [
          ...(old?.consents ?? []).filter(
            (c) => c.channel !== consent.channel || c.topicId !== consent.topicId,
          ),
          consent,
        ],
      }));
      setDone(at('consent.changed', { channel: p.target.name, status: at(`status.${p.status}`) }));
      setPending(null);
    },
  });
  const list = consents.data?.consents ?? [];
  const find = (channel: Channel, topicId: string | null) =>
    list.find((c) => c.channel === channel && c.topicId === topicId);
  const ask = (target: Target, status: ConsentStatus) => {
    change.reset();
    setDone(null);
    setPending({ target, status });
  };
  const rows: { target: Target; consent: Consent | undefined }[] = [
    ...CHANNELS.map((channel) => ({
      target: { channel, name: at(`channel.${channel}`) },
      consent: find(channel, null),
    })),
  ];
  const topicRows = (topics.data?.topics ?? []).map((topic) => ({
    target: {
      channel: 'email' as const,
      topicId: topic.id,
      name: at('consent.topicLabel', { topic: topic.name }),
    },
    consent: find('email', topic.id),
  }));

  return (
    <Section title={at('consent.title')} description={at('consent.intro')} testId="consent-panel">
      {(consents.isPending || topics.isPending) && <Loading />}
      {consents.isError && <LoadError error={consents.error} onRetry={() => consents.refetch()} />}
      {topics.isError && <LoadError error={topics.error} onRetry={() => topics.refetch()} />}
      {consents.data && (
        <div className="space-y-5">
          <ConsentTable rows={rows} write={write} onAsk={ask} i18n={i18n} testId="consent-channels" />
          {topics.data && (
            <div className="space-y-2">
              <h3 className="text-sm font-semibold text-zinc-900">{at('consent.topics')}</h3>
              {topicRows.length > 0 ? (
                <ConsentTable
                  rows={topicRows}
                  write={write}
                  onAsk={ask}
                  i18n={i18n}
                  testId="consent-topics"
                />
              ) : (
                <p className="text-sm text-zinc-600">{at('consent.noTopics')}</p>
              )}
            </div>
          )}
          <StatusMessage message={done} testId="consent-changed" />
        </div>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={
          pending
            ? at('consent.confirmTitle', {
                channel: pending.target.name,
                status: at(`status.${pending.status}`),
              })
            : ''
        }
        confirmLabel={at('consent.confirm')}
        busy={change.isPending}
        error={change.isError ? errorMessage(change.error, t) : null}
        onConfirm={() => pending && change.mutate(pending)}
        onCancel={() => setPending(null)}
      >
        {at('consent.confirmBody')}
      </ConfirmDialog>
    </Section>
  );
}

function ConsentTable({
  rows,
  write,
  onAsk,
  i18n,
  testId,
}: {
  rows: { target: Target; consent: Consent | undefined }[];
  write: boolean;
  onAsk: (target: Target, status: ConsentStatus) => void;
  i18n: AudienceI18n;
  testId: string;
}) {
  const { at, date } = i18n;
  return (
    <div className="relative -mx-5 overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="border-b border-zinc-200">
          <tr>
            <th scope="col" className={`${thClass} ps-5`}>
              {at('consent.colChannel')}
            </th>
            <th scope="col" className={thClass}>
              {at('consent.colStatus')}
            </th>
            <th scope="col" className={`${thClass} pe-5`}>
              {at('consent.colSource')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map(({ target, consent }) => (
            <tr
              key={`${target.channel}-${target.topicId ?? ''}`}
              data-testid="consent-row"
              data-channel={target.channel}
            >
              <th scope="row" className={`${tdClass} ps-5 text-start font-medium`}>
                <bdi>{target.name}</bdi>
              </th>
              <td className={tdClass}>
                {write ? (
                  <select
                    aria-label={at('consent.newStatus', { channel: target.name })}
                    value={consent?.status ?? ''}
                    onChange={(e) => onAsk(target, e.target.value as ConsentStatus)}
                    data-testid="consent-status"
                    className={`${fieldClass} h-9 min-w-36 border-zinc-300 py-0`}
                  >
                    {!consent && <option value="">{at('consent.noAnswer')}</option>}
                    {CONSENT_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {at(`status.${s}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <StatusBadge status={consent?.status} i18n={i18n} />
                )}
              </td>
              <td className={`${tdClass} pe-5`}>
                {consent ? (
                  <>
                    <span className="block">{sourceLabel(consent.source, i18n)}</span>
                    <time dateTime={consent.updatedAt} className="block text-xs text-zinc-600">
                      {date(consent.updatedAt)}
                    </time>
                  </>
                ) : (
                  at('none')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const BADGE: Record<ConsentStatus, string> = {
  granted: 'bg-emerald-50 text-emerald-800',
  denied: 'bg-red-50 text-red-800',
  pending: 'bg-amber-50 text-amber-900',
  unsubscribed: 'bg-zinc-100 text-zinc-700',
};

function StatusBadge({ status, i18n }: { status: ConsentStatus | undefined; i18n: AudienceI18n }) {
  if (!status) return <span className="text-zinc-600">{i18n.at('consent.noAnswer')}</span>;
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${BADGE[status]}`}>
      {i18n.at(`status.${status}`)}
    </span>
  );
}

/** Known sources in words; anything else (a form's name, an integration) as recorded. */
function sourceLabel(source: string, { at }: AudienceI18n) {
  if (source === 'dashboard' || source === 'api' || source === 'import') return at(`source.${source}`);
  return <bdi>{source}</bdi>;
}
