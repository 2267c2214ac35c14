import { useMutation } from '@tanstack/react-query';
import { confirmPasswordReset } from '../api/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Button, buttonClass } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { TextField } from '../components/TextField.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useForm } from '../lib/useForm.ts';
import { MIN_PASSWORD_LENGTH, password } from '../lib/validate.ts';
import { Link, useLocation } from '../router.tsx';
import { BackToLogin } from './ResetRequestScreen.tsx';

/** `/reset-password?token=…` from the email (or the set-password link an admin passed on). */
export function ResetPasswordScreen() {
  const { t } = useI18n();
  const token = useLocation().search.get('token') ?? '';
  const reset = useMutation({ mutationFn: confirmPasswordReset });
  const form = useForm({
    initial: { password: '', confirm: '' },
    checks: {
      password,
      confirm: (value, values) => (value === values.password ? null : 'validation.passwordMismatch'),
    },
    apiError: reset.error,
    onEdit: reset.reset,
  });
  const submit = () => {
    if (form.validate())
      reset.mutate({ token, password: form.values.password }, { onError: form.focusInvalid });
  };

  if (!token || reset.isSuccess) {
    return (
      <AuthLayout>
        <PageTitle title={t('reset.title')}>{t('reset.title')}</PageTitle>
        <p role="status" className="mt-3 text-sm text-zinc-700">
          {token ? t('reset.done') : t('reset.noToken')}
        </p>
        <Link
          to={token ? '/login' : '/forgot-password'}
          className={buttonClass('primary', 'mt-6 w-full')}
          data-testid="reset-next"
        >
          {token ? t('setup.goToLogin') : t('reset.requestNew')}
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout>
      <PageTitle title={t('reset.title')}>{t('reset.title')}</PageTitle>
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="reset-password-form"
        className="mt-6 space-y-5"
      >
        <TextField
          label={t('reset.newPassword')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('password.hint', { min: MIN_PASSWORD_LENGTH })}
          testId="new-password"
          {...form.field('password')}
        />
        <TextField
          label={t('reset.confirmPassword')}
          type="password"
          autoComplete="new-password"
          required
          testId="confirm-password"
          {...form.field('confirm')}
        />
        <Button
          type="submit"
          variant="primary"
          busy={reset.isPending}
          className="w-full"
          testId="reset-password-submit"
        >
          {reset.isPending ? t('reset.submitting') : t('reset.submit')}
        </Button>
      </Form>
      <BackToLogin />
    </AuthLayout>
  );
}
