import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listApiKeys } from '../../api/apiKeys.ts';
import type { ApiKey } from '../../api/types.ts';
import { StatusMessage } from '../../components/Form.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section, tableClass, thClass } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ApiKeyRow } from './ApiKeyRow.tsx';
import { CreateApiKeyForm } from './CreateApiKeyForm.tsx';
import { RevokeApiKeyDialog } from './RevokeApiKeyDialog.tsx';

export const apiKeysKey = (ws: string) => ['apiKeys', ws] as const;

export function ApiKeysTab({ ws }: { ws: string }) {
  const { t, tp } = useI18n();
  const query = useQuery({ queryKey: apiKeysKey(ws), queryFn: () => listApiKeys(ws) });
  const [notice, setNotice] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = query.data?.apiKeys ?? [];
  return (
    <div className="space-y-6">
      <StatusMessage message={notice} testId="apikeys-notice" />
      <CreateApiKeyForm ws={ws} />
      <Section
        title={t('settings.tab.apiKeys')}
        description={t('apiKeys.intro')}
        aside={query.data && <span data-testid="apikeys-count">{tp('apiKeys.count', keys.length)}</span>}
        testId="apikeys"
      >
        {query.isPending && <Loading />}
        {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
        {query.data && keys.length === 0 && <p className="text-sm text-zinc-600">{tp('apiKeys.count', 0)}</p>}
        {keys.length > 0 && (
          <div className="relative -mx-5 overflow-x-auto">
            <table className={tableClass}>
              <thead className="border-b border-zinc-200">
                <tr>
                  <th scope="col" className={`${thClass} ps-5`}>
                    {t('apiKeys.colName')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('apiKeys.colPrefix')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('apiKeys.colScope')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('apiKeys.colCreated')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('apiKeys.colLastUsed')}
                  </th>
                  <th scope="col" className={thClass}>
                    {t('apiKeys.colStatus')}
                  </th>
                  <th scope="col" className={`${thClass} pe-5`}>
                    <span className="sr-only">{t('members.colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {keys.map((key) => (
                  <ApiKeyRow key={key.id} apiKey={key} onRevoke={setRevoking} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <RevokeApiKeyDialog ws={ws} apiKey={revoking} onClose={() => setRevoking(null)} onNotice={setNotice} />
    </div>
  );
}
