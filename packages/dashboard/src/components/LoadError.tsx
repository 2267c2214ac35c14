import { useI18n } from '../i18n/I18nProvider.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { Button } from './Button.tsx';

export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-3 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800"
    >
      <span>
        {t('common.loadFailed')} <bdi>{errorMessage(error, t)}</bdi>
      </span>
      <Button onClick={onRetry}>{t('common.retry')}</Button>
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="py-6 text-sm text-zinc-600">
      {t('common.loading')}
    </p>
  );
}
