import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { Section } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import type { MessageTemplate, TemplateSource } from './api.ts';
import { CodeEditor } from './CodeEditor.tsx';
import type { MessagingI18n } from './i18n.ts';
import { faultOf } from './logic.ts';
import { PreviewPane } from './PreviewPane.tsx';
import { useLivePreview } from './queries.ts';
import { SendTest } from './SendTest.tsx';
import { useTemplateForm } from './templateForm.ts';

type Editable = MessageTemplate | (TemplateSource & { name: string; id?: undefined });

/** An email template: name, subject, language, MJML source, and its live preview beside it. */
export function EmailTemplateEditor({
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
  const { mt } = i18n;
  const form = useTemplateForm(ws, template, i18n);
  const { draft, set, errors } = form;
  const live = useLivePreview(ws, draft);
  // The refused save wins; else the live preview's fault shows where the source stops compiling.
  const liveFault = faultOf(live.error);
  const liveBody = liveFault?.field === 'body' && liveFault.line !== null ? liveFault : null;
  const bodyError =
    errors.body ??
    (liveBody
      ? mt('editor.errorAt', {
          line: liveBody.line ?? 1,
          column: liveBody.column ?? 1,
          message: liveBody.message,
        })
      : undefined);
  const subjectError = errors.subject ?? (liveFault?.field === 'subject' ? liveFault.message : undefined);

  return (
    <div className="grid items-start gap-6 2xl:grid-cols-2">
      <Section title={mt('field.body')} testId="email-editor">
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
            <div className="md:col-span-2">
              <TextField
                label={mt('field.subject')}
                hint={mt('field.subjectHint')}
                value={draft.subject}
                onChange={(v) => set('subject', v)}
                error={subjectError}
                required
                dir={draft.dir}
                readOnly={!write}
                testId="template-subject"
              />
            </div>
          </div>
          <CodeEditor
            label={mt('field.body')}
            value={draft.body}
            onChange={(v) => set('body', v)}
            errorLine={form.errorLine ?? liveBody?.line ?? null}
            error={bodyError}
            jump={form.jump}
            errorLineLabel={mt('editor.errorLine')}
            readOnly={!write}
            testId="template-body"
          />
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
      <div className="space-y-6">
        <Section title={mt('preview.title')} testId="preview-section">
          <PreviewPane
            preview={live.preview}
            error={live.error}
            updating={live.updating}
            dir={draft.dir}
            onDir={(dir) => set('dir', dir)}
            i18n={i18n}
          />
        </Section>
        {write && <SendTest ws={ws} templateId={template.id ?? null} i18n={i18n} />}
      </div>
    </div>
  );
}
