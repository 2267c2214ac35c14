import { useId, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { FieldShell } from '../components/FieldShell.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { Section } from '../components/Section.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import type { MessageTemplate, TemplateChannel, TemplateSource } from './api.ts';
import type { MessagingI18n } from './i18n.ts';
import { faultOf, parseDecimal } from './logic.ts';
import { Choice } from './parts.tsx';
import { useLivePreview } from './queries.ts';
import { SmsCounter } from './SmsCounter.tsx';
import { useTemplateForm } from './templateForm.ts';

type Editable = MessageTemplate | (TemplateSource & { name: string; id?: undefined });

/**
 * An SMS or WhatsApp template with its live part counter. The count is the server's (the
 * preview renders the fields for the sample contact first, so it counts what is sent).
 */
export function SmsTemplateEditor({
  ws,
  template,
  write,
  i18n,
}: {
  ws: string;
  template: Editable;
  write: boolean;
  i18n: MessagingI18n;
}) {
  const { mt, t } = i18n;
  const form = useTemplateForm(ws, template, i18n);
  const { draft, set, errors } = form;
  const [price, setPrice] = useState('');
  const pricePerPart = price.trim() === '' ? undefined : (parseDecimal(price) ?? undefined);
  const priceError = price.trim() !== '' && pricePerPart === undefined ? mt('sms.priceInvalid') : undefined;
  const live = useLivePreview(ws, draft, pricePerPart);
  const liveFault = faultOf(live.error);
  const fault = errors.body
    ? null
    : liveFault?.field === 'body' && liveFault.line !== null
      ? mt('editor.errorAt', {
          line: liveFault.line,
          column: liveFault.column ?? 1,
          message: liveFault.message,
        })
      : null;
  const bodyError = errors.body ?? fault ?? undefined;
  const textId = useId();
  const sms = live.preview?.sms;

  return (
    <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Section title={mt('field.text')} testId="sms-editor">
        <Form onSubmit={form.submit} error={form.formError} testId="template-form">
          <div className="grid gap-4 md:grid-cols-2">
            <TextField
              label={mt('field.name')}
              value={draft.name}
              onChange={(v) => set('name', v)}
              error={errors.name}
              required
              readOnly={!write}
              testId="template-name"
            />
            <SelectField
              label={mt('field.channel')}
              value={draft.channel}
              disabled={template.id !== undefined || !write}
              onChange={(v) => set('channel', v as TemplateChannel)}
              options={[
                { value: 'sms', label: mt('channel.sms') },
                { value: 'whatsapp', label: mt('channel.whatsapp') },
              ]}
              testId="template-channel"
            />
            <TextField
              label={mt('field.lang')}
              hint={mt('field.langHint')}
              value={draft.lang}
              onChange={(v) => set('lang', v)}
              error={errors.lang}
              required
              dir="ltr"
              readOnly={!write}
              testId="template-lang"
            />
            <Choice
              label={mt('field.dir')}
              value={draft.dir}
              onChange={(dir) => set('dir', dir)}
              options={[
                { value: 'rtl', label: mt('dir.rtl') },
                { value: 'ltr', label: mt('dir.ltr') },
              ]}
              testId="template-dir"
            />
          </div>
          <FieldShell id={textId} label={mt('field.text')} error={bodyError}>
            {(describedBy) => (
              <textarea
                id={textId}
                dir={draft.dir}
                lang={draft.lang}
                rows={7}
                value={draft.body}
                readOnly={!write}
                aria-invalid={bodyError ? true : undefined}
                aria-describedby={describedBy}
                onChange={(event) => set('body', event.target.value)}
                data-testid="template-body"
                className={`block w-full rounded-md border bg-white px-3 py-2 text-base leading-relaxed text-zinc-900 ${bodyError ? 'border-red-700' : 'border-zinc-300'}`}
              />
            )}
          </FieldShell>
          {write && (
            <div className="flex flex-wrap items-center gap-4">
              <Button type="submit" variant="primary" busy={form.save.isPending} testId="template-save">
                {form.save.isPending ? mt('editor.saving') : mt('editor.save')}
              </Button>
              <StatusMessage
                message={form.saved ? mt('editor.saved', { version: form.saved.version }) : null}
                testId="template-saved"
              />
            </div>
          )}
        </Form>
      </Section>
      <Section
        title={mt('sms.counter')}
        aside={<span role="status">{live.updating ? mt('preview.updating') : ''}</span>}
        testId="sms-counter-section"
      >
        <div className="space-y-4">
          <TextField
            label={mt('sms.price')}
            hint={mt('sms.priceHint')}
            inputMode="decimal"
            value={price}
            onChange={setPrice}
            error={priceError}
            testId="sms-price"
          />
          {live.error !== null && !fault && !errors.body && (
            <p role="alert" className="text-sm text-red-700">
              {mt('preview.failed')} <bdi>{errorMessage(live.error, t)}</bdi>
            </p>
          )}
          {sms && (
            <SmsCounter
              count={sms}
              cost={pricePerPart === undefined ? null : (sms.cost ?? null)}
              i18n={i18n}
            />
          )}
          {live.preview && (
            <div className="space-y-1.5">
              <p className="text-sm text-zinc-600">{mt('preview.text')}</p>
              <p
                dir={draft.dir}
                lang={draft.lang}
                className="rounded-md bg-zinc-50 p-3 text-sm whitespace-pre-wrap text-zinc-900"
                data-testid="sms-rendered"
              >
                {live.preview.text}
              </p>
              <p className="text-xs text-zinc-600">{mt('sms.rendered')}</p>
            </div>
          )}
        </div>
      </Section>
    </div>
  );
}
