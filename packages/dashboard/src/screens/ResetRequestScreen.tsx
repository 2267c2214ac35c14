import { useMutation } from '@tanstack/react-query';
import { requestPasswordReset } from '../api/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { Button } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { ArrowStartIcon } from '../components/Icons.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { TextField } from '../components/TextField.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useForm } from '../lib/useForm.ts';
import { email } from '../lib/validate.ts';
import { Link } from '../router.tsx';

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ResetRequestScreen() {
  const { t } = useI18n();
  const request = useMutation({ mutationFn: requestPasswordReset });
  const form = useForm({
    initial: { email: '' },
    checks: { email },
    apiError: request.error,
    onEdit: request.reset,
  });
  const submit = () => {
    if (form.validate()) request.mutate(form.values, { onError: form.focusInvalid });
  };
  return (
    <AuthLayout>
      <PageTitle title={t('resetRequest.title')}>{t('resetRequest.title')}</PageTitle>
      <p className="mt-2 mb-6 text-sm text-zinc-600">{t('resetRequest.intro')}</p>
      <Form onSubmit={submit} error={form.formError} formRef={form.formRef} testId="reset-request-form">
        <TextField
          label={t('resetRequest.email')}
          type="email"
          autoComplete="email"
          required
          testId="reset-email"
          {...form.field('email')}
        />
        <Button
          type="submit"
          variant="primary"
          busy={request.isPending}
          className="w-full"
          testId="reset-request-submit"
        >
          {request.isPending ? t('resetRequest.submitting') : t('resetRequest.submit')}
        </Button>
        <p role="status" data-testid="reset-request-sent" className="text-sm text-emerald-800">
          {request.isSuccess ? t('resetRequest.sent') : ''}
        </p>
      </Form>
      <BackToLogin />
    </AuthLayout>
  );
}

export function BackToLogin() {
  const { t } = useI18n();
  return (
    <p className="mt-4 text-sm">
      <Link
        to="/login"
        className="inline-flex items-center gap-1.5 font-medium text-teal-800 hover:underline"
      >
        <ArrowStartIcon className="size-4 rtl:-scale-x-100" />
        {t('resetRequest.backToLogin')}
      </Link>
    </p>
  );
}
