import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { setCsrfToken } from '../api/client.ts';
import { getSetupStatus, login } from '../api/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Button } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { TextField } from '../components/TextField.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useForm } from '../lib/useForm.ts';
import { email, required } from '../lib/validate.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { safeNext } from '../session/publicPaths.ts';
import { queryClient } from '../session/queryClient.ts';

export function LoginScreen() {
  const { t, setLocale } = useI18n();
  const next = safeNext(useLocation().search.get('next'));
  const setup = useQuery({ queryKey: ['setup'], queryFn: getSetupStatus });

  // A fresh install has nobody to log in yet.
  useEffect(() => {
    if (setup.data?.needsSetup) navigate('/setup', { replace: true });
  }, [setup.data]);

  const attempt = useMutation({
    mutationFn: login,
    onSuccess: ({ user, csrfToken }) => {
      setCsrfToken(csrfToken);
      setLocale(user.locale);
      queryClient.clear();
      navigate(next, { replace: true });
    },
  });
  const form = useForm({
    initial: { email: '', password: '' },
    checks: { email, password: required },
    apiError: attempt.error,
    onEdit: attempt.reset,
  });
  const submit = () => {
    if (form.validate()) attempt.mutate(form.values, { onError: form.focusInvalid });
  };

  return (
    <AuthLayout>
      <PageTitle title={t('login.title')}>{t('login.title')}</PageTitle>
      <p className="mt-2 mb-6 text-sm text-zinc-600">{t('login.intro')}</p>
      <Form onSubmit={submit} error={form.formError} formRef={form.formRef} testId="login-form">
        <TextField
          label={t('login.email')}
          type="email"
          autoComplete="username"
          required
          testId="login-email"
          {...form.field('email')}
        />
        <TextField
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          required
          testId="login-password"
          {...form.field('password')}
        />
        <Button
          type="submit"
          variant="primary"
          busy={attempt.isPending}
          className="w-full"
          testId="login-submit"
        >
          {attempt.isPending ? t('login.submitting') : t('login.submit')}
        </Button>
      </Form>
      <p className="mt-6 text-center text-sm">
        <Link to="/forgot-password" className="font-medium text-teal-800 underline-offset-4 hover:underline">
          {t('login.forgot')}
        </Link>
      </p>
    </AuthLayout>
  );
}
