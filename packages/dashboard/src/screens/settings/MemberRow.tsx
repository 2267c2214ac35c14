import { useMutation } from '@tanstack/react-query';
import { changeMemberRole } from '../../api/members.ts';
import { type Member, ROLES, type Role } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { tdClass } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { errorMessage } from '../../lib/apiErrors.ts';
import { canAssignRole } from '../../lib/permissions.ts';
import { queryClient } from '../../session/queryClient.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { membersKey } from './MembersTab.tsx';

interface MemberRowProps {
  ws: string;
  member: Member;
  onNotice: (message: string) => void;
  onRemove: (member: Member) => void;
}

export function MemberRow({ ws, member, onNotice, onRemove }: MemberRowProps) {
  const { t, date } = useI18n();
  const { me, workspace } = useSession();
  const actor = workspace?.role ?? 'analyst';
  const isMe = member.userId === me.user.id;
  const display = member.name || member.email;
  const change = useMutation({
    mutationFn: (role: Role) => changeMemberRole(ws, member.userId, role),
    onSuccess: ({ member: updated }) => {
      queryClient.invalidateQueries({ queryKey: membersKey(ws) });
      if (isMe) queryClient.invalidateQueries({ queryKey: ['me'] });
      onNotice(t('members.roleChanged', { name: display, role: t(`role.${updated.role}`) }));
    },
  });
  // An admin cannot touch an owner; nobody is offered a role they may not grant.
  const editable = canAssignRole(actor, member.role);
  const choices = ROLES.filter((role) => role === member.role || canAssignRole(actor, role));
  return (
    <tr data-testid="member-row" data-user-id={member.userId}>
      <td className={`${tdClass} ps-5 font-medium`}>
        {member.name || '—'}
        {isMe && <span className="ms-1.5 font-normal text-zinc-600">({t('common.you')})</span>}
      </td>
      <td className={tdClass}>
        <span dir="ltr">{member.email}</span>
      </td>
      <td className={tdClass}>
        <select
          aria-label={t('members.roleFor', { name: display })}
          value={member.role}
          disabled={!editable || change.isPending}
          data-testid="member-role"
          onChange={(event) => change.mutate(event.target.value as Role)}
          className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm disabled:bg-zinc-50 disabled:text-zinc-600"
        >
          {choices.map((role) => (
            <option key={role} value={role}>
              {t(`role.${role}`)}
            </option>
          ))}
        </select>
        {change.error && (
          <p role="alert" className="mt-1 max-w-56 text-xs whitespace-normal text-red-700">
            <bdi>{errorMessage(change.error, t)}</bdi>
          </p>
        )}
      </td>
      <td className={`${tdClass} text-zinc-600`}>{date(member.createdAt, 'date')}</td>
      <td className={`${tdClass} pe-5 text-end`}>
        {editable && (
          <Button
            variant="dangerGhost"
            aria-label={t('members.removeLabel', { name: display })}
            testId="member-remove"
            onClick={() => onRemove(member)}
          >
            {t('members.remove')}
          </Button>
        )}
      </td>
    </tr>
  );
}
