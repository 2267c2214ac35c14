import { useMutation } from '@tanstack/react-query';
import { removeMember } from '../../api/members.ts';
import type { Member } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorMessage } from '../../lib/apiErrors.ts';
import { queryClient } from '../../session/queryClient.ts';
import { ME_KEY } from '../../session/useMe.ts';
import { membersKey } from './MembersTab.tsx';

interface Props {
  ws: string;
  member: Member | null;
  onClose: () => void;
  onNotice: (message: string) => void;
}

export function RemoveMemberDialog({ ws, member, onClose, onNotice }: Props) {
  const { t } = useI18n();
  const remove = useMutation({
    mutationFn: (target: Member) => removeMember(ws, target.userId),
    onSuccess: (_, target) => {
      queryClient.invalidateQueries({ queryKey: membersKey(ws) });
      queryClient.invalidateQueries({ queryKey: ME_KEY });
      onNotice(t('members.removed', { name: target.name || target.email }));
      close();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  const name = member ? member.name || member.email : '';
  return (
    <ConfirmDialog
      open={member !== null}
      title={t('members.removeTitle', { name })}
      confirmLabel={t('members.remove')}
      busy={remove.isPending}
      error={remove.error ? errorMessage(remove.error, t) : null}
      onConfirm={() => member && remove.mutate(member)}
      onCancel={close}
    >
      <p>{t('members.removeBody', { email: member?.email ?? '' })}</p>
    </ConfirmDialog>
  );
}
