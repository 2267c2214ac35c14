import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import { splitApiError } from '../lib/apiErrors.ts';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { createSender, listSenders, type SenderIdentity } from './api.ts';
import { DnsRecords } from './DnsRecords.tsx';
import { type MessagingI18n, useMessagingI18n } from './i18n.ts';
import { canManageSenders, sendersKey } from './keys.ts';
import { MessagingLayout } from './MessagingLayout.tsx';

/** `/messaging/senders`: the addresses the workspace sends from, each with the DNS records it needs. */
export function SendersScreen() {
  const { workspace } = useSession();
  const i18n = useMessagingI18n();
  const { mt } = i18n;
  const ws = workspace?.id ?? '';
  const senders = useQuery({
    queryKey: sendersKey(ws),
    queryFn: () => listSenders(ws),
    enabled: workspace !== null,
  });
  if (!workspace) return <HomeScreen />;
  const manage = canManageSenders(workspace.role);
  return (
    <MessagingLayout tab="senders" title={mt('senders.title')} intro={mt('senders.intro')}>
      {manage ? (
        <Section title={mt('senders.add')} testId="sender-new">
          <NewSenderForm ws={ws} i18n={i18n} />
        </Section>
      ) : (
        <p className="text-sm text-zinc-600">{mt('senders.readOnly')}</p>
      )}
      {senders.isPending ? (
        <Loading />
      ) : senders.isError ? (
        <LoadError error={senders.error} onRetry={() => senders.refetch()} />
      ) : senders.data.senders.length === 0 ? (
        <p className="text-sm text-zinc-600">{mt('senders.empty')}</p>
      ) : (
        <ul className="space-y-6">
          {senders.data.senders.map((s) => (
            <li key={s.id}>
              <SenderCard ws={ws} sender={s} manage={manage} i18n={i18n} />
            </li>
          ))}
        </ul>
      )}
    </MessagingLayout>
  );
}

const FIELDS = ['fromAddress', 'fromName', 'replyTo'];
const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(value);

function NewSenderForm({ ws, i18n }: { ws: string; i18n: MessagingI18n }) {
  const { mt, t } = i18n;
  const [fromAddress, setFromAddress] = useState('');
  const [fromName, setFromName] = useState('');
  const [replyTo, setReplyTo] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: () =>
      createSender(ws, {
        fromAddress: fromAddress.trim(),
        ...(fromName.trim() ? { fromName: fromName.trim() } : {}),
        ...(replyTo.trim() ? { replyTo: replyTo.trim() } : {}),
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: sendersKey(ws) });
      setFromAddress('');
      setFromName('');
      setReplyTo('');
    },
  });
  const { fieldErrors, formError } = splitApiError(add.error, FIELDS, t);
  const errors = { ...fieldErrors, ...local };
  const submit = () => {
    const problems: Record<string, string> = {};
    if (!looksLikeEmail(fromAddress.trim())) problems.fromAddress = mt('senders.invalidEmail');
    if (replyTo.trim() && !looksLikeEmail(replyTo.trim())) problems.replyTo = mt('senders.invalidEmail');
    setLocal(problems);
    if (Object.keys(problems).length === 0) add.mutate();
  };
  return (
    <Form onSubmit={submit} error={formError} testId="sender-form" className="space-y-4">
      <div className="grid gap-4 md:grid-cols-3">
        <TextField
          label={mt('senders.fromAddress')}
          type="email"
          required
          value={fromAddress}
          onChange={setFromAddress}
          error={errors.fromAddress}
          testId="sender-from"
          placeholder="news@example.com"
        />
        <TextField
          label={mt('senders.fromName')}
          value={fromName}
          onChange={setFromName}
          error={errors.fromName}
          testId="sender-name"
        />
        <TextField
          label={mt('senders.replyTo')}
          type="email"
          value={replyTo}
          onChange={setReplyTo}
          error={errors.replyTo}
          testId="sender-reply-to"
        />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit" variant="primary" busy={add.isPending} testId="sender-submit">
          {add.isPending ? mt('senders.adding') : mt('senders.addSubmit')}
        </Button>
        <StatusMessage message={add.isSuccess ? mt('senders.added') : null} testId="sender-added" />
      </div>
    </Form>
  );
}

function SenderCard({
  ws,
  sender,
  manage,
  i18n,
}: {
  ws: string;
  sender: SenderIdentity;
  manage: boolean;
  i18n: MessagingI18n;
}) {
  const { mt } = i18n;
  return (
    <Section title={sender.fromName ?? sender.fromAddress} testId="sender">
      <div className="space-y-4" data-id={sender.id} data-address={sender.fromAddress}>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <div className="flex gap-1.5">
            <dt className="text-zinc-600">{mt('senders.fromAddress')}:</dt>
            <dd>
              <bdi dir="ltr" data-testid="sender-address">
                {sender.fromAddress}
              </bdi>
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-600">{mt('senders.domain')}</dt>
            <dd>
              <bdi dir="ltr">{sender.domain}</bdi>
            </dd>
          </div>
          {sender.replyTo && (
            <div className="flex gap-1.5">
              <dt className="text-zinc-600">{mt('senders.replyToShown')}</dt>
              <dd>
                <bdi dir="ltr">{sender.replyTo}</bdi>
              </dd>
            </div>
          )}
        </dl>
        <DnsRecords ws={ws} sender={sender} manage={manage} i18n={i18n} />
      </div>
    </Section>
  );
}
