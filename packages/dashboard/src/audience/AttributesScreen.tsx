import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section, tableClass, thClass } from '../components/Section.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { useForm } from '../lib/useForm.ts';
import { required } from '../lib/validate.ts';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { queryClient } from '../session/queryClient.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { AttributeRow } from './AttributeRow.tsx';
import { AudienceLayout } from './AudienceLayout.tsx';
import {
  ATTRIBUTE_TYPES,
  type AttributeDefinition,
  type AttributeType,
  createAttribute,
  listAttributes,
} from './api.ts';
import { parseOptions } from './attributeForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { attributesKey, canWriteAudience } from './keys.ts';
import { OptionsField } from './OptionsField.tsx';

/** `/contacts/attributes`: the workspace's custom contact fields. */
export function AttributesScreen() {
  const { workspace } = useSession();
  const { at, ap } = useAudienceI18n();
  const ws = workspace?.id ?? '';
  const attributes = useQuery({
    queryKey: attributesKey(ws),
    queryFn: () => listAttributes(ws),
    enabled: ws !== '',
  });
  const [saved, setSaved] = useState<string | null>(null);
  if (!workspace) return <HomeScreen />;
  const write = canWriteAudience(workspace.role);
  const list = attributes.data?.attributes ?? [];
  return (
    <AudienceLayout tab="attributes" title={at('attributes.title')}>
      <Section
        title={at('attributes.title')}
        description={at('attributes.intro')}
        aside={
          attributes.data && <span data-testid="attributes-count">{ap('attributes.count', list.length)}</span>
        }
        testId="attributes"
      >
        {attributes.isPending && <Loading />}
        {attributes.isError && <LoadError error={attributes.error} onRetry={() => attributes.refetch()} />}
        {attributes.data && list.length === 0 && (
          <p className="text-sm text-zinc-600">{at('attributes.empty')}</p>
        )}
        <StatusMessage message={saved} testId="attribute-saved" />
        {list.length > 0 && (
          <div className="relative -mx-5 overflow-x-auto">
            <table className={tableClass} data-testid="attributes-table">
              <thead className="border-b border-zinc-200">
                <tr>
                  <th scope="col" className={`${thClass} ps-5`}>
                    {at('attributes.colLabel')}
                  </th>
                  <th scope="col" className={thClass}>
                    {at('attributes.colKey')}
                  </th>
                  <th scope="col" className={thClass}>
                    {at('attributes.colType')}
                  </th>
                  <th scope="col" className={thClass}>
                    {at('attributes.colOptions')}
                  </th>
                  <th scope="col" className={`${thClass} pe-5`}>
                    <span className="sr-only">{at('attributes.colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {list.map((def) => (
                  <AttributeRow key={def.key} ws={ws} def={def} write={write} onSaved={setSaved} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {write ? <AddAttribute ws={ws} /> : <p className="text-sm text-zinc-600">{at('readOnly')}</p>}
    </AudienceLayout>
  );
}

function AddAttribute({ ws }: { ws: string }) {
  const { at } = useAudienceI18n();
  const blank = { key: '', label: '', type: 'text', options: '' };
  const [added, setAdded] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (def: AttributeDefinition) => createAttribute(ws, def),
    onSuccess: ({ attribute }) => {
      queryClient.setQueryData<{ attributes: AttributeDefinition[] }>(attributesKey(ws), (old) => ({
        attributes: [...(old?.attributes ?? []), attribute],
      }));
      setAdded(at('attributes.added', { label: attribute.label }));
      form.setValues(blank);
    },
  });
  const form = useForm({
    initial: blank,
    checks: {
      key: required,
      label: required,
      options: (v, all) => (all.type === 'list' ? required(v) : null),
    },
    apiError: create.error,
    onEdit: () => {
      if (create.isError) create.reset();
      setAdded(null);
    },
  });
  const submit = () => {
    if (!form.validate()) return;
    const { key, label, type, options } = form.values;
    const def: AttributeDefinition = { key: key.trim(), label: label.trim(), type: type as AttributeType };
    if (type === 'list') def.options = parseOptions(options);
    create.mutate(def, { onError: form.focusInvalid });
  };
  return (
    <Section title={at('attributes.addTitle')} testId="attribute-add">
      <Form
        onSubmit={submit}
        error={form.formError}
        formRef={form.formRef}
        testId="attribute-add-form"
        className="space-y-4"
      >
        <div className="grid gap-4 lg:grid-cols-3">
          <TextField
            label={at('attributes.label')}
            hint={at('attributes.labelHint')}
            dir="auto"
            autoComplete="off"
            required
            testId="attribute-label"
            {...form.field('label')}
          />
          <TextField
            label={at('attributes.key')}
            hint={at('attributes.keyHint')}
            dir="ltr"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            testId="attribute-key"
            {...form.field('key')}
          />
          <SelectField
            label={at('attributes.type')}
            hint={at('attributes.typeHint')}
            options={ATTRIBUTE_TYPES.map((type) => ({ value: type, label: at(`type.${type}`) }))}
            testId="attribute-type"
            {...form.field('type')}
          />
        </div>
        {form.values.type === 'list' && (
          <OptionsField
            label={at('attributes.options')}
            hint={at('attributes.optionsHint')}
            testId="attribute-options"
            {...form.field('options')}
          />
        )}
        <div className="flex flex-wrap items-center gap-4">
          <Button type="submit" variant="primary" busy={create.isPending} testId="attribute-add-submit">
            {create.isPending ? at('attributes.adding') : at('attributes.add')}
          </Button>
          <StatusMessage message={added} testId="attribute-added" />
        </div>
      </Form>
    </Section>
  );
}
