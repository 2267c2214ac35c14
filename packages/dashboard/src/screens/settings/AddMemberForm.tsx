import { useMutation } from '@tanstack/react-query';
import { addMember } from '../../api/members.ts';
import { ROLES, type Role } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { Form } from '../../components/Form.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { canAssignRole } from '../../lib/permissions.ts';
import { useForm } from '../../lib/useForm.ts';
import { email } from '../../lib/validate.ts';
import { queryClient } from '../../session/queryClient.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { membersKey } from './MembersTab.tsx';

const BLANK = { email: '', name: '', role: 'marketer' };

export function AddMemberForm({ ws }: { ws: string }) {
  const { t } = useI18n();
  const actor = useSession().workspace?.role ?? 'analyst';
  const add = useMutation({
    mutationFn: (input: { email: string; name?: string; role: Role }) => addMember(ws, input),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: membersKey(ws) });
      form.setValues(BLANK);
    },
  });
  const form = useForm({
    initial: BLANK,
    checks: { email },
    apiError: add.error,
    // Clear a stale error while typing, but keep the last success (and its link) in view.
    onEdit: () => add.isError && add.reset(),
  });
  const submit = () => {
    if (!form.validate()) return;
    const name = form.values.name.trim();
    const role = ROLES.find((candidate) => candidate === form.values.role) ?? 'marketer';
    add.mutate(
      { email: form.values.email.trim(), role, ...(name ? { name } : {}) },
      { onError: form.focusInvalid },
    );
  };
  const roles = ROLES.filter((role) => canAssignRole(actor, role));
  return (
    <Section title={t('members.addTitle')} description={t('members.addIntro')} testId="member-add">
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="member-add-form"
        className="space-y-4"
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label={t('members.email')}
            type="email"
            autoComplete="off"
            required
            testId="member-add-email"
            {...form.field('email')}
          />
          <TextField
            label={t('members.name')}
            autoComplete="off"
            testId="member-add-name"
            {...form.field('name')}
          />
          <SelectField
            label={t('members.role')}
            options={roles.map((role) => ({ value: role, label: t(`role.${role}`) }))}
            testId="member-add-role"
            {...form.field('role')}
          />
        </div>
        <Button type="submit" variant="primary" busy={add.isPending} testId="member-add-submit">
          {add.isPending ? t('members.adding') : t('members.add')}
        </Button>
      </Form>
      {add.data && <AddedMember email={add.data.member.email} url={add.data.setPasswordUrl} />}
    </Section>
  );
}

function AddedMember({ email: address, url }: { email: string; url: string | undefined }) {
  const { t } = useI18n();
  return (
    <div
      data-testid="member-added"
      className="mt-5 space-y-3 rounded-lg border border-emerald-200 bg-emerald-50 p-4"
    >
      <p role="status" className="text-sm font-medium text-emerald-900">
        {t('members.added', { email: address })}
      </p>
      {url && (
        <>
          <p className="text-sm text-zinc-800">{t('members.setPasswordLink', { email: address })}</p>
          <CopyField
            label={t('members.setPasswordLinkLabel')}
            value={new URL(url, window.location.origin).href}
            testId="member-set-password-url"
            copyTestId="member-set-password-copy"
          />
        </>
      )}
    </div>
  );
}
