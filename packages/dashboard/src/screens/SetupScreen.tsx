import { useMutation, useQuery } from '@tanstack/react-query';
import { setCsrfToken } from '../api/client.ts';
import { completeSetup, getSetupStatus } from '../api/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Button, buttonClass } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { isLocale } from '../i18n/locales.ts';
import { useForm } from '../lib/useForm.ts';
import { email, MIN_PASSWORD_LENGTH, password, required } from '../lib/validate.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';
import { chooseWorkspace } from '../session/workspaceSelection.ts';

/** First run: the owner account and first workspace, from the one-time link `wasl start` prints. */
export function SetupScreen() {
  const { t } = useI18n();
  const token = useLocation().search.get('token') ?? '';
  const status = useQuery({ queryKey: ['setup'], queryFn: getSetupStatus });

  if (status.data && !status.data.needsSetup) {
    return <SetupMessage title={t('setup.doneTitle')} body={t('setup.done')} />;
  }
  if (!token) return <SetupMessage title={t('setup.noTokenTitle')} body={t('setup.noToken')} />;
  return <SetupForm token={token} />;
}

function SetupForm({ token }: { token: string }) {
  const { t, locale, setLocale } = useI18n();
  const setup = useMutation({
    mutationFn: completeSetup,
    onSuccess: (result) => {
      setCsrfToken(result.csrfToken);
      queryClient.clear();
      chooseWorkspace(result.workspace.id);
      navigate('/', { replace: true });
    },
  });
  const form = useForm({
    initial: { name: '', email: '', password: '', workspaceName: '' },
    checks: { name: required, email, password, workspaceName: required },
    apiError: setup.error,
    onEdit: setup.reset,
  });
  const submit = () => {
    if (!form.validate()) return;
    setup.mutate({ token, locale, ...form.values }, { onError: form.focusInvalid });
  };
  return (
    <AuthLayout wide>
      <PageTitle title={t('setup.title')}>{t('setup.title')}</PageTitle>
      <p className="mt-2 mb-6 text-sm text-zinc-600">{t('setup.intro')}</p>
      <Form onSubmit={submit} error={form.formError} formRef={form.formRef} testId="setup-form">
        <TextField
          label={t('setup.name')}
          autoComplete="name"
          required
          testId="setup-name"
          {...form.field('name')}
        />
        <TextField
          label={t('setup.email')}
          type="email"
          autoComplete="email"
          required
          testId="setup-email"
          {...form.field('email')}
        />
        <TextField
          label={t('setup.password')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('password.hint', { min: MIN_PASSWORD_LENGTH })}
          testId="setup-password"
          {...form.field('password')}
        />
        <TextField
          label={t('setup.workspaceName')}
          autoComplete="organization"
          required
          hint={t('setup.workspaceHint')}
          testId="setup-workspace-name"
          {...form.field('workspaceName')}
        />
        <SelectField
          label={t('setup.language')}
          value={locale}
          onChange={(value) => isLocale(value) && setLocale(value)}
          options={[
            { value: 'ar', label: t('language.ar'), lang: 'ar' },
            { value: 'en', label: t('language.en'), lang: 'en' },
          ]}
          testId="setup-language"
        />
        <Button
          type="submit"
          variant="primary"
          busy={setup.isPending}
          className="w-full"
          testId="setup-submit"
        >
          {setup.isPending ? t('setup.submitting') : t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}

function SetupMessage({ title, body }: { title: string; body: string }) {
  const { t } = useI18n();
  return (
    <AuthLayout>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="mt-3 text-sm text-zinc-700">{body}</p>
      <Link to="/login" className={buttonClass('primary', 'mt-6 w-full')}>
        {t('setup.goToLogin')}
      </Link>
    </AuthLayout>
  );
}
