import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { splitApiError } from '../lib/apiErrors.ts';
import { navigate } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';
import {
  createTemplate,
  type MessageTemplate,
  type TemplateChannel,
  type TemplateSource,
  updateTemplate,
} from './api.ts';
import type { MessagingI18n } from './i18n.ts';
import { templateKey, templatesKey } from './keys.ts';
import { faultOf } from './logic.ts';

/** An MJML starter in Arabic: the shape of an email, with a field from the contact. */
export const EMAIL_STARTER = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="22px" font-weight="bold">مرحبًا {{ contact.first_name }}</mj-text>
        <mj-text>شكرًا لانضمامك إلينا. وصلت تشكيلة الربيع الجديدة.</mj-text>
        <mj-button href="https://example.com/">تسوّق الآن</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

export const blankSource = (channel: TemplateChannel): TemplateSource & { name: string } => ({
  channel,
  name: '',
  subject: '',
  body: channel === 'email' ? EMAIL_STARTER : '',
  dir: 'rtl',
  lang: 'ar',
  settings: {},
});

const FIELDS = ['name', 'subject', 'lang', 'body', 'dir'];

/**
 * An editor's state and its save: creates the template, or changes it; a refused save gives
 * the field at fault (and, in the body, its line and column) and moves the caret there.
 */
export function useTemplateForm(
  ws: string,
  template: MessageTemplate | (TemplateSource & { name: string; id?: undefined }),
  i18n: MessagingI18n,
) {
  const [draft, setDraft] = useState(() => ({
    channel: template.channel,
    name: template.name,
    subject: template.subject,
    body: template.body,
    dir: template.dir,
    lang: template.lang,
    settings: template.settings,
  }));
  const [nameMissing, setNameMissing] = useState(false);
  const [jump, setJump] = useState(0);
  const id = template.id;
  const save = useMutation({
    mutationFn: () => {
      const { channel, ...change } = draft;
      const body = { ...change, name: draft.name.trim() };
      return id === undefined ? createTemplate(ws, { ...body, channel }) : updateTemplate(ws, id, body);
    },
    onSuccess: ({ template: saved }) => {
      queryClient.setQueryData(templateKey(ws, saved.id), { template: saved });
      queryClient.invalidateQueries({ queryKey: templatesKey(ws) });
      if (id === undefined) navigate(`/messaging/templates/${saved.id}`, { replace: true });
    },
    onError: () => setJump((n) => n + 1),
  });

  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (key === 'name') setNameMissing(false);
  };

  const submit = () => {
    if (draft.name.trim() === '') {
      setNameMissing(true);
      return;
    }
    save.mutate();
  };

  const fault = faultOf(save.error);
  const { fieldErrors, formError } = splitApiError(save.error, FIELDS, i18n.t);
  const errors: Record<string, string | undefined> = { ...fieldErrors };
  if (nameMissing) errors.name = i18n.mt('field.nameRequired');
  // A fault inside the body says where, in the reader's digits.
  if (fault?.field === 'body' && fault.line !== null) {
    errors.body = i18n.mt('editor.errorAt', {
      line: fault.line,
      column: fault.column ?? 1,
      message: fault.message,
    });
  }
  return {
    draft,
    set,
    submit,
    save,
    errors,
    formError,
    errorLine: fault?.field === 'body' ? fault.line : null,
    jump,
    saved: save.data?.template ?? null,
  };
}
