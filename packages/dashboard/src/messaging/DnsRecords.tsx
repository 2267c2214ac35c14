import { useMutation } from '@tanstack/react-query';
import { Button } from '../components/Button.tsx';
import { CopyCode } from '../components/CopyCode.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { checkSenderDns, type DnsRecordCheck, type SenderIdentity } from './api.ts';
import type { MessagingI18n } from './i18n.ts';
import { sendersKey } from './keys.ts';
import { Pill } from './parts.tsx';

/**
 * A sender's DNS: per record (SPF, DKIM, DMARC) whether it is in place, what was found, and
 * the exact name and value to publish, each with a copy button; and a button to look again.
 * Before the first check only the DKIM record (made with the key) is known.
 */
export function DnsRecords({
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
  const { mt, t, date } = i18n;
  const check = useMutation({
    mutationFn: () => checkSenderDns(ws, sender.id),
    onSuccess: ({ sender: checked }) =>
      queryClient.setQueryData<{ senders: SenderIdentity[] }>(sendersKey(ws), (old) =>
        old ? { senders: old.senders.map((s) => (s.id === checked.id ? checked : s)) } : old,
      ),
  });
  const dns = sender.dns;
  return (
    <div className="space-y-4" data-testid="dns">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h3 className="text-sm font-semibold text-zinc-900">{mt('dns.title')}</h3>
          {dns && (
            <span data-testid="dns-summary" data-ok={dns.ok}>
              <Pill tone={dns.ok ? 'good' : 'bad'}>{dns.ok ? mt('dns.allOk') : mt('dns.notOk')}</Pill>
            </span>
          )}
          {dns && (
            <span className="text-xs text-zinc-600" data-testid="dns-checked-at">
              {mt('dns.checkedAt', { date: date(dns.checkedAt) })}
            </span>
          )}
        </div>
        {manage && (
          <Button onClick={() => check.mutate()} busy={check.isPending} testId="dns-check">
            {check.isPending ? mt('dns.checking') : dns ? mt('dns.check') : mt('dns.checkFirst')}
          </Button>
        )}
      </div>
      {check.isError && (
        <p role="alert" className="text-sm text-red-700">
          <bdi>{errorMessage(check.error, t)}</bdi>
        </p>
      )}
      {dns ? (
        <ul className="space-y-4">
          {dns.records.map((record) => (
            <li key={record.kind}>
              <RecordCard record={record} i18n={i18n} />
            </li>
          ))}
        </ul>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-zinc-600" data-testid="dns-not-checked">
            {mt('dns.notChecked')}
          </p>
          <RecordFields
            kind="dkim"
            name={sender.dkim.recordName}
            value={sender.dkim.recordValue}
            i18n={i18n}
          />
        </div>
      )}
    </div>
  );
}

function RecordCard({ record, i18n }: { record: DnsRecordCheck; i18n: MessagingI18n }) {
  const { mt, locale } = i18n;
  return (
    <div
      className={`space-y-3 rounded-lg border p-4 ${record.ok ? 'border-emerald-200' : 'border-amber-300'}`}
      data-testid="dns-record"
      data-kind={record.kind}
      data-ok={record.ok}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h4 className="text-sm font-semibold text-zinc-900">{mt(`kind.${record.kind}`)}</h4>
        <Pill tone={record.ok ? 'good' : 'warn'}>{record.ok ? mt('dns.ok') : mt('dns.bad')}</Pill>
      </div>
      <p className="text-sm text-zinc-800 wrap-anywhere" data-testid="dns-message">
        {record.message[locale]}
      </p>
      <RecordFields kind={record.kind} name={record.name} value={record.expected} i18n={i18n} />
      <div className="space-y-1 text-sm">
        <p className="text-zinc-600">{mt('dns.found')}</p>
        {record.found.length === 0 ? (
          <p className="text-zinc-800" data-testid="dns-found-none">
            {mt('dns.foundNone')}
          </p>
        ) : (
          <ul className="space-y-1" data-testid="dns-found">
            {record.found.map((value) => (
              <li key={value} dir="ltr" className="font-mono text-xs break-all text-zinc-800">
                {value}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

/** Where the TXT record goes and what it says, both to copy into the DNS provider's form. */
function RecordFields({
  kind,
  name,
  value,
  i18n,
}: {
  kind: DnsRecordCheck['kind'];
  name: string;
  value: string;
  i18n: MessagingI18n;
}) {
  const { mt } = i18n;
  return (
    <div className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_6rem]">
        <CopyField label={mt('dns.name')} value={name} testId={`dns-name-${kind}`} />
        <div className="space-y-1.5">
          <p className="text-sm font-medium text-zinc-800">{mt('dns.type')}</p>
          <p dir="ltr" className="py-2 text-start font-mono text-sm text-zinc-900">
            TXT
          </p>
        </div>
      </div>
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-zinc-800">{mt('dns.value')}</p>
        <CopyCode
          code={value}
          copyLabel={mt('dns.copy', { kind: mt(`kind.${kind}`) })}
          testId={`dns-value-${kind}`}
        />
      </div>
    </div>
  );
}
