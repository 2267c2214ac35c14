import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Button } from './Button.tsx';

/** Loading and failure states that stand in for a whole page. */
export function FullPageMessage({
  busy,
  onRetry,
  children,
}: {
  busy?: boolean;
  onRetry?: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="grid min-h-dvh place-items-center p-6">
      <div className="space-y-4 text-center" role={busy ? 'status' : 'alert'}>
        {busy && (
          <span className="mx-auto block size-6 animate-spin rounded-full border-2 border-zinc-300 border-t-teal-700" />
        )}
        <p className="text-zinc-700">{children}</p>
        {onRetry && <Button onClick={onRetry}>{t('common.retry')}</Button>}
      </div>
    </div>
  );
}
