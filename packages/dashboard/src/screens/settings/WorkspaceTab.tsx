import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role, Workspace } from '../../api/types.ts';
import { getWorkspace, updateWorkspace } from '../../api/workspaces.ts';
import { Button } from '../../components/Button.tsx';
import { Form, StatusMessage } from '../../components/Form.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section } from '../../components/Section.tsx';
import { WorkspaceFields } from '../../components/WorkspaceFields.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { isLocale } from '../../i18n/locales.ts';
import { canManageWorkspace } from '../../lib/permissions.ts';
import { useForm } from '../../lib/useForm.ts';
import { required } from '../../lib/validate.ts';
import { queryClient } from '../../session/queryClient.ts';
import { ME_KEY } from '../../session/useMe.ts';

export const workspaceKey = (ws: string) => ['workspace', ws] as const;

export function WorkspaceTab({ ws }: { ws: string }) {
  const query = useQuery({ queryKey: workspaceKey(ws), queryFn: () => getWorkspace(ws) });
  if (query.isPending) return <Loading />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  return <WorkspaceForm workspace={query.data.workspace} role={query.data.role} />;
}

function WorkspaceForm({ workspace, role }: { workspace: Workspace; role: Role }) {
  const { t, date } = useI18n();
  const [saved, setSaved] = useState(false);
  const editable = canManageWorkspace(role);
  const save = useMutation({
    mutationFn: (input: Parameters<typeof updateWorkspace>[1]) => updateWorkspace(workspace.id, input),
    onSuccess: (result) => {
      queryClient.setQueryData(workspaceKey(workspace.id), { workspace: result.workspace, role });
      queryClient.invalidateQueries({ queryKey: ME_KEY });
      setSaved(true);
    },
  });
  const form = useForm({
    initial: { name: workspace.name, locale: workspace.locale, timezone: workspace.timezone },
    checks: { name: required },
    apiError: save.error,
    onEdit: () => {
      save.reset();
      setSaved(false);
    },
  });
  const submit = () => {
    if (!form.validate()) return;
    const { name, locale, timezone } = form.values;
    save.mutate(
      { name: name.trim(), timezone, ...(isLocale(locale) ? { locale } : {}) },
      { onError: form.focusInvalid },
    );
  };
  return (
    <Section
      title={t('settings.tab.workspace')}
      description={t('workspaceSettings.createdAt', { date: date(workspace.createdAt, 'date') })}
      testId="workspace-settings"
    >
      {!editable && <p className="mb-4 text-sm text-zinc-600">{t('workspaceSettings.readOnly')}</p>}
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="workspace-form"
        className="max-w-lg space-y-5"
      >
        <WorkspaceFields
          name={form.field('name')}
          locale={form.field('locale')}
          timezone={form.field('timezone')}
          disabled={!editable}
        />
        {editable && (
          <div className="flex items-center gap-4">
            <Button type="submit" variant="primary" busy={save.isPending} testId="workspace-save">
              {save.isPending ? t('common.saving') : t('common.save')}
            </Button>
            <StatusMessage message={saved ? t('common.saved') : null} testId="workspace-saved" />
          </div>
        )}
      </Form>
    </Section>
  );
}
