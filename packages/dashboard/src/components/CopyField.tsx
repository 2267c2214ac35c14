import { useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Button } from './Button.tsx';
import { CheckIcon, CopyIcon } from './Icons.tsx';

interface CopyFieldProps {
  label: string;
  value: string;
  testId?: string;
  copyTestId?: string;
}

/** A read-only value with a copy button; works on plain-http installs where the Clipboard API is absent. */
export function CopyField({ label, value, testId, copyTestId }: CopyFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    const ok = await copyText(value, input.current);
    setStatus(ok ? 'copied' : 'failed');
  };

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          ref={input}
          id={id}
          readOnly
          dir="ltr"
          value={value}
          data-testid={testId}
          onFocus={(event) => event.target.select()}
          className="block w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm text-zinc-900"
        />
        <Button onClick={copy} testId={copyTestId}>
          {status === 'copied' ? <CheckIcon className="size-4" /> : <CopyIcon className="size-4" />}
          {status === 'copied' ? t('common.copied') : t('common.copy')}
        </Button>
      </div>
      <p role="status" className={status === 'failed' ? 'text-sm text-red-700' : 'sr-only'}>
        {status === 'failed' ? t('common.copyFailed') : status === 'copied' ? t('common.copied') : ''}
      </p>
    </div>
  );
}

/** Copies `text`; without the Clipboard API it selects `fallback` (a field or any element) and uses the old command. */
export async function copyText(text: string, fallback: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without a secure context there is no navigator.clipboard: select and use the old command.
    if (fallback instanceof HTMLInputElement || fallback instanceof HTMLTextAreaElement) fallback.select();
    else if (fallback) window.getSelection()?.selectAllChildren(fallback);
    return document.execCommand?.('copy') ?? false;
  }
}
