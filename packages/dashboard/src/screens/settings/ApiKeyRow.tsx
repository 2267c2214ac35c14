import type { ApiKey } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { tdClass } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export function ApiKeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  const { t, date } = useI18n();
  const revoked = apiKey.revokedAt !== null;
  return (
    <tr data-testid="apikey-row" data-key-id={apiKey.id} className={revoked ? 'text-zinc-600' : undefined}>
      <td className={`${tdClass} ps-5 font-medium`}>{apiKey.name}</td>
      <td className={tdClass}>
        <code dir="ltr" className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-800">
          {apiKey.prefix}…
        </code>
      </td>
      <td className={tdClass}>
        {apiKey.scope === 'write' ? t('apiKeys.scopeWrite') : t('apiKeys.scopeRead')}
      </td>
      <td className={tdClass}>{date(apiKey.createdAt, 'date')}</td>
      <td className={tdClass}>{apiKey.lastUsedAt ? date(apiKey.lastUsedAt) : t('common.never')}</td>
      <td className={tdClass}>
        {apiKey.revokedAt ? (
          <span className="text-zinc-600">
            {t('apiKeys.revokedOn', { date: date(apiKey.revokedAt, 'date') })}
          </span>
        ) : (
          <span className="inline-flex items-center gap-1.5 text-emerald-800">
            <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-600" />
            {t('apiKeys.active')}
          </span>
        )}
      </td>
      <td className={`${tdClass} pe-5 text-end`}>
        {!revoked && (
          <Button
            variant="dangerGhost"
            aria-label={t('apiKeys.revokeLabel', { name: apiKey.name })}
            testId="apikey-revoke"
            onClick={() => onRevoke(apiKey)}
          >
            {t('apiKeys.revoke')}
          </Button>
        )}
      </td>
    </tr>
  );
}
