import type { MessagingI18n } from './i18n.ts';
import { isKnownStatus, statusTone, type Tone } from './logic.ts';

/** A channel's name; one the screens do not know is shown as the server sent it. */
export function channelLabel(channel: string, i18n: MessagingI18n): string {
  if (channel === 'email' || channel === 'sms' || channel === 'whatsapp' || channel === 'webpush') {
    return i18n.mt(`channel.${channel}`);
  }
  return channel;
}

const TONE_CLASS: Record<Tone, string> = {
  neutral: 'bg-zinc-100 text-zinc-700',
  progress: 'bg-sky-100 text-sky-800',
  good: 'bg-emerald-100 text-emerald-800',
  warn: 'bg-amber-100 text-amber-900',
  bad: 'bg-red-100 text-red-800',
};

export function Pill({ tone, children, testId }: { tone: Tone; children: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[tone]}`}
    >
      {children}
    </span>
  );
}

export function MessageStatus({ status, i18n }: { status: string; i18n: MessagingI18n }) {
  return (
    <span data-testid="message-status" data-status={status}>
      <Pill tone={statusTone(status)}>{isKnownStatus(status) ? i18n.mt(`status.${status}`) : status}</Pill>
    </span>
  );
}

/** Buttons of which one is pressed: the preview's width and the template's direction. */
export function Choice<T extends string>({
  label,
  options,
  value,
  onChange,
  testId,
}: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  testId: string;
}) {
  return (
    <fieldset className="space-y-1.5">
      <legend className="text-sm font-medium text-zinc-800">{label}</legend>
      <div className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5" data-testid={testId}>
        {options.map((option) => (
          <button
            key={option.value}
            type="button"
            aria-pressed={option.value === value}
            data-value={option.value}
            onClick={() => onChange(option.value)}
            className={`rounded px-3 py-1.5 text-sm font-medium ${option.value === value ? 'bg-teal-700 text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
          >
            {option.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
