import { useMutation } from '@tanstack/react-query';
import { revokeApiKey } from '../../api/apiKeys.ts';
import type { ApiKey } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorMessage } from '../../lib/apiErrors.ts';
import { queryClient } from '../../session/queryClient.ts';
import { apiKeysKey } from './ApiKeysTab.tsx';

interface Props {
  ws: string;
  apiKey: ApiKey | null;
  onClose: () => void;
  onNotice: (message: string) => void;
}

export function RevokeApiKeyDialog({ ws, apiKey, onClose, onNotice }: Props) {
  const { t } = useI18n();
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => revokeApiKey(ws, key.id),
    onSuccess: (_, key) => {
      queryClient.invalidateQueries({ queryKey: apiKeysKey(ws) });
      onNotice(t('apiKeys.revoked', { name: key.name }));
      close();
    },
  });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={apiKey !== null}
      title={t('apiKeys.revokeTitle', { name: apiKey?.name ?? '' })}
      confirmLabel={t('apiKeys.revokeConfirm')}
      busy={revoke.isPending}
      error={revoke.error ? errorMessage(revoke.error, t) : null}
      onConfirm={() => apiKey && revoke.mutate(apiKey)}
      onCancel={close}
    >
      <p>{t('apiKeys.revokeBody')}</p>
    </ConfirmDialog>
  );
}
