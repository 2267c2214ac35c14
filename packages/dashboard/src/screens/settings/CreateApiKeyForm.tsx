import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { createApiKey } from '../../api/apiKeys.ts';
import type { ApiKeyScope } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { Form } from '../../components/Form.tsx';
import { WarningIcon } from '../../components/Icons.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useForm } from '../../lib/useForm.ts';
import { required } from '../../lib/validate.ts';
import { queryClient } from '../../session/queryClient.ts';
import { apiKeysKey } from './ApiKeysTab.tsx';

const BLANK = { name: '', scope: 'read' };

export function CreateApiKeyForm({ ws }: { ws: string }) {
  const { t } = useI18n();
  const create = useMutation({
    mutationFn: (input: { name: string; scope: ApiKeyScope }) => createApiKey(ws, input),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: apiKeysKey(ws) });
      form.setValues(BLANK);
    },
  });
  const form = useForm({
    initial: BLANK,
    checks: { name: required },
    apiError: create.error,
    onEdit: () => create.isError && create.reset(),
  });
  const submit = () => {
    if (!form.validate()) return;
    const scope: ApiKeyScope = form.values.scope === 'write' ? 'write' : 'read';
    create.mutate({ name: form.values.name.trim(), scope }, { onError: form.focusInvalid });
  };

  if (create.data) {
    return <CreatedKey name={create.data.apiKey.name} secret={create.data.key} onDone={create.reset} />;
  }
  return (
    <Section title={t('apiKeys.createTitle')} testId="apikey-create">
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="apikey-create-form"
        className="space-y-4"
      >
        <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
          <TextField
            label={t('apiKeys.name')}
            hint={t('apiKeys.nameHint')}
            autoComplete="off"
            required
            testId="apikey-create-name"
            {...form.field('name')}
          />
          <SelectField
            label={t('apiKeys.scope')}
            options={[
              { value: 'read', label: t('apiKeys.scopeRead') },
              { value: 'write', label: t('apiKeys.scopeWrite') },
            ]}
            testId="apikey-create-scope"
            {...form.field('scope')}
          />
        </div>
        <Button type="submit" variant="primary" busy={create.isPending} testId="apikey-create-submit">
          {create.isPending ? t('apiKeys.creating') : t('apiKeys.create')}
        </Button>
      </Form>
    </Section>
  );
}

/** The only moment the whole key exists on screen; focus lands on the warning so it is read first. */
function CreatedKey({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby="apikey-created-title"
      data-testid="apikey-created"
      className="space-y-4 rounded-xl border border-amber-300 bg-amber-50 p-5"
    >
      <h2
        id="apikey-created-title"
        ref={heading}
        tabIndex={-1}
        className="text-base font-semibold text-zinc-900 focus:outline-none"
      >
        {t('apiKeys.createdTitle', { name })}
      </h2>
      <p
        className="flex items-start gap-2 text-sm font-medium text-amber-900"
        data-testid="apikey-created-warning"
      >
        <WarningIcon className="mt-0.5 size-5 shrink-0" />
        {t('apiKeys.createdWarning')}
      </p>
      <CopyField
        label={t('apiKeys.createdKeyLabel')}
        value={secret}
        testId="apikey-created-key"
        copyTestId="apikey-copy"
      />
      <Button variant="primary" onClick={onDone} testId="apikey-created-done">
        {t('common.done')}
      </Button>
    </section>
  );
}
