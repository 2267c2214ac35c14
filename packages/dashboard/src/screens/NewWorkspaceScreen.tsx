import { useMutation } from '@tanstack/react-query';
import { createWorkspace } from '../api/workspaces.ts';
import { Button } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { WorkspaceFields } from '../components/WorkspaceFields.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { isLocale } from '../i18n/locales.ts';
import { browserTimeZone } from '../lib/timeZones.ts';
import { useForm } from '../lib/useForm.ts';
import { required } from '../lib/validate.ts';
import { navigate } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { ME_KEY } from '../session/useMe.ts';

export function NewWorkspaceScreen() {
  const { t, locale } = useI18n();
  const { chooseWorkspace } = useSession();
  const create = useMutation({
    mutationFn: createWorkspace,
    onSuccess: async ({ workspace }) => {
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      chooseWorkspace(workspace.id);
      navigate('/');
    },
  });
  const form = useForm({
    initial: { name: '', locale: locale, timezone: browserTimeZone() },
    checks: { name: required },
    apiError: create.error,
    onEdit: create.reset,
  });
  const submit = () => {
    if (!form.validate()) return;
    const { name, locale: workspaceLocale, timezone } = form.values;
    create.mutate(
      { name: name.trim(), locale: isLocale(workspaceLocale) ? workspaceLocale : locale, timezone },
      { onError: form.focusInvalid },
    );
  };
  return (
    <div className="max-w-xl">
      <PageTitle title={t('newWorkspace.title')}>{t('newWorkspace.title')}</PageTitle>
      <p className="mt-2 mb-6 text-sm text-zinc-600">{t('newWorkspace.intro')}</p>
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="new-workspace-form"
        className="space-y-5 rounded-xl border border-zinc-200 bg-white p-6"
      >
        <WorkspaceFields
          name={form.field('name')}
          locale={form.field('locale')}
          timezone={form.field('timezone')}
        />
        <Button type="submit" variant="primary" busy={create.isPending} testId="new-workspace-submit">
          {create.isPending ? t('newWorkspace.submitting') : t('newWorkspace.submit')}
        </Button>
      </Form>
    </div>
  );
}
