import type { ReactNode } from 'react';
import type { SmsCount } from './api.ts';
import type { MessagingI18n } from './i18n.ts';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="flex items-baseline justify-between gap-4 border-b border-zinc-100 py-2 last:border-0">
      <dt className="text-sm text-zinc-600">{label}</dt>
      <dd className="text-sm font-semibold tabular-nums text-zinc-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** What an SMS text costs: encoding, characters, parts, room left, the characters to blame, the price. */
export function SmsCounter({
  count,
  cost,
  i18n,
}: {
  count: SmsCount;
  cost: number | null;
  i18n: MessagingI18n;
}) {
  const { mt, mp, number } = i18n;
  return (
    <div data-testid="sms-counter" data-encoding={count.encoding} data-parts={count.parts}>
      <dl>
        <Row label={mt('sms.encoding')} testId="sms-encoding">
          {count.encoding === 'gsm7' ? mt('sms.gsm7') : mt('sms.ucs2')}
        </Row>
        <Row label={mt('sms.characters')} testId="sms-characters">
          {number(count.characters)}
        </Row>
        <Row label={mt('sms.parts')} testId="sms-parts">
          {mp('count.parts', count.parts)}
        </Row>
        <Row label={mt('sms.perPart')} testId="sms-per-part">
          {number(count.perPart)}
        </Row>
        <Row label={mt('sms.remaining')} testId="sms-remaining">
          {number(count.remainingInPart)}
        </Row>
        {cost !== null && (
          <Row label={mt('sms.cost')} testId="sms-cost">
            {number(cost)}
          </Row>
        )}
      </dl>
      <div className="mt-3 space-y-1.5">
        <p className="text-sm text-zinc-600">{mt('sms.forced')}</p>
        {count.nonGsmCharacters.length === 0 ? (
          <p className="text-sm text-zinc-800" data-testid="sms-forced-none">
            {mt('sms.forcedNone')}
          </p>
        ) : (
          <ul className="flex flex-wrap gap-1.5" data-testid="sms-forced">
            {count.nonGsmCharacters.map((c) => (
              <li
                key={c}
                className="min-w-8 rounded border border-amber-300 bg-amber-50 px-2 py-0.5 text-center font-mono text-sm text-amber-950"
              >
                <bdi>{c === ' ' ? '\u2423' : c}</bdi>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
