import { useMutation } from '@tanstack/react-query';
import { deleteSite } from '../../api/sites.ts';
import type { Site } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorMessage } from '../../lib/apiErrors.ts';
import { domainToUnicode } from '../../lib/punycode.ts';
import { queryClient } from '../../session/queryClient.ts';
import { sitesKey } from './SitesTab.tsx';

interface Props {
  ws: string;
  site: Site | null;
  onClose: () => void;
  onNotice: (message: string) => void;
}

// First-strong isolation: a domain keeps its own direction inside a sentence of the other one.
const isolate = (text: string) => `\u2068${text}\u2069`;

export function DeleteSiteDialog({ ws, site, onClose, onNotice }: Props) {
  const { t } = useI18n();
  const remove = useMutation({
    mutationFn: (target: Site) => deleteSite(ws, target.id),
    onSuccess: (_, target) => {
      queryClient.invalidateQueries({ queryKey: sitesKey(ws) });
      onNotice(t('sites.deleted', { name: target.name }));
      close();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={site !== null}
      title={t('sites.deleteTitle', { name: site?.name ?? '' })}
      confirmLabel={t('sites.deleteConfirm')}
      busy={remove.isPending}
      error={remove.error ? errorMessage(remove.error, t) : null}
      onConfirm={() => site && remove.mutate(site)}
      onCancel={close}
    >
      <p>{t('sites.deleteBody', { domain: isolate(domainToUnicode(site?.domain ?? '')) })}</p>
    </ConfirmDialog>
  );
}
