import { useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Button } from './Button.tsx';
import { copyText } from './CopyField.tsx';
import { CheckIcon, CopyIcon } from './Icons.tsx';

interface CopyCodeProps {
  code: string;
  /** The copy button's accessible name, naming what is copied (several blocks can share a page). */
  copyLabel: string;
  testId?: string;
  copyTestId?: string;
}

/**
 * A block of code to paste elsewhere, with a copy button. Code reads left to right in every
 * language and wraps rather than hiding its end off screen.
 */
export function CopyCode({ code, copyLabel, testId, copyTestId }: CopyCodeProps) {
  const { t } = useI18n();
  const block = useRef<HTMLElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    const ok = await copyText(code, block.current);
    setStatus(ok ? 'copied' : 'failed');
  };

  return (
    <div className="space-y-1.5">
      <div className="flex flex-col items-stretch gap-2 sm:flex-row sm:items-start">
        <pre
          dir="ltr"
          className="min-w-0 flex-1 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2.5 text-start font-mono text-xs leading-relaxed whitespace-pre-wrap text-zinc-900 wrap-anywhere"
        >
          <code ref={block} data-testid={testId}>
            {code}
          </code>
        </pre>
        <Button onClick={copy} aria-label={copyLabel} testId={copyTestId} className="shrink-0 self-start">
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
