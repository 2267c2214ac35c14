import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form } from '../components/Form.tsx';
import { tdClass } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import { useForm } from '../lib/useForm.ts';
import { required } from '../lib/validate.ts';
import { queryClient } from '../session/queryClient.ts';
import { type AttributeDefinition, updateAttribute } from './api.ts';
import { parseOptions, withOptions } from './attributeForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { attributesKey } from './keys.ts';
import { OptionsField } from './OptionsField.tsx';

/** One custom field; "Edit" opens its label and, for lists, new options below it. Keys and types stay. */
export function AttributeRow({
  ws,
  def,
  write,
  onSaved,
}: {
  ws: string;
  def: AttributeDefinition;
  write: boolean;
  onSaved: (message: string | null) => void;
}) {
  const { at } = useAudienceI18n();
  const [editing, setEditing] = useState(false);
  return (
    <>
      <tr data-testid="attribute-row" data-key={def.key}>
        <td className={`${tdClass} ps-5 font-medium`}>
          <bdi>{def.label}</bdi>
        </td>
        <td className={tdClass}>
          <code dir="ltr" className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-800">
            {def.key}
          </code>
        </td>
        <td className={tdClass}>{at(`type.${def.type}`)}</td>
        <td className={`${tdClass} max-w-72 truncate`} title={def.options?.join('، ')}>
          {def.options ? <bdi>{def.options.join('، ')}</bdi> : at('none')}
        </td>
        <td className={`${tdClass} pe-5 text-end`}>
          {write && !editing && (
            <Button
              variant="ghost"
              onClick={() => {
                onSaved(null);
                setEditing(true);
              }}
              aria-label={at('attributes.editLabel', { label: def.label })}
              testId="attribute-edit"
            >
              {at('attributes.edit')}
            </Button>
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={5} className="bg-zinc-50 px-5 py-4">
            <EditAttribute
              ws={ws}
              def={def}
              onDone={(message) => {
                onSaved(message);
                setEditing(false);
              }}
              onCancel={() => setEditing(false)}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function EditAttribute({
  ws,
  def,
  onDone,
  onCancel,
}: {
  ws: string;
  def: AttributeDefinition;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t, at } = useAudienceI18n();
  const save = useMutation({
    mutationFn: (changes: { label?: string; options?: string[] }) => updateAttribute(ws, def.key, changes),
    onSuccess: ({ attribute }) => {
      queryClient.setQueryData<{ attributes: AttributeDefinition[] }>(attributesKey(ws), (old) => ({
        attributes: (old?.attributes ?? []).map((a) => (a.key === attribute.key ? attribute : a)),
      }));
      onDone(at('attributes.saved', { label: attribute.label }));
    },
  });
  const form = useForm({
    initial: { label: def.label, options: '' },
    checks: { label: required },
    apiError: save.error,
    onEdit: () => save.isError && save.reset(),
  });
  const submit = () => {
    if (!form.validate()) return;
    const label = form.values.label.trim();
    const added = parseOptions(form.values.options);
    const changes: { label?: string; options?: string[] } = {};
    if (label !== def.label) changes.label = label;
    // The server takes the whole new list of options; existing ones cannot be removed.
    if (def.type === 'list' && added.some((o) => !def.options?.includes(o))) {
      changes.options = withOptions(def.options ?? [], added);
    }
    if (Object.keys(changes).length === 0) return onCancel();
    save.mutate(changes, { onError: form.focusInvalid });
  };
  return (
    <Form
      onSubmit={submit}
      error={form.formError}
      formRef={form.formRef}
      testId="attribute-edit-form"
      className="space-y-4"
    >
      <div className="grid gap-4 lg:grid-cols-2">
        <TextField
          label={at('attributes.label')}
          dir="auto"
          required
          testId="attribute-edit-label"
          {...form.field('label')}
        />
        {def.type === 'list' && (
          <OptionsField
            label={at('attributes.newOptions')}
            hint={at('attributes.newOptionsHint')}
            testId="attribute-edit-options"
            {...form.field('options')}
          />
        )}
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant="primary" busy={save.isPending} testId="attribute-edit-save">
          {at('attributes.save')}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}
