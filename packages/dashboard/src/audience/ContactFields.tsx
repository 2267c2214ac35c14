import { useState } from 'react';
import { SelectField } from '../components/SelectField.tsx';
import { TextField } from '../components/TextField.tsx';
import { splitApiError } from '../lib/apiErrors.ts';
import { type AttributeDefinition, type FieldWarning, GENDERS, LIFECYCLE_STAGES } from './api.ts';
import {
  attributeField,
  type ContactFormValues,
  type TextField as Field,
  lacksEmailAndPhone,
  TEXT_FIELDS,
} from './contactForm.ts';
import { type AudienceI18n, useAudienceI18n } from './i18n.ts';

/** Values, our one check (email or phone) and the API's error at the field it names. */
export function useContactForm(
  initial: ContactFormValues,
  defs: readonly AttributeDefinition[],
  apiError: unknown,
) {
  const { t } = useAudienceI18n();
  const [values, setValues] = useState(initial);
  const [needsAddress, setNeedsAddress] = useState(false);
  const names = [...TEXT_FIELDS, 'interests', ...defs.map((d) => attributeField(d.key))];
  const { fieldErrors, formError } = splitApiError(apiError, names, t);
  return {
    values,
    setValues: (next: ContactFormValues) => {
      setValues(next);
      setNeedsAddress(false);
    },
    fieldErrors,
    formError,
    needsAddress,
    /** False (and the message at the email field) when neither email nor phone is given. */
    check: () => {
      const missing = lacksEmailAndPhone(values);
      setNeedsAddress(missing);
      return !missing;
    },
  };
}

export type ContactForm = ReturnType<typeof useContactForm>;

const wide = 'sm:col-span-2';

/** The standard fields and the workspace's custom attributes, each input typed for its attribute. */
export function ContactFields({ form, defs }: { form: ContactForm; defs: readonly AttributeDefinition[] }) {
  const i18n = useAudienceI18n();
  const { at } = i18n;
  const { values, fieldErrors } = form;
  const set = (field: Field) => (value: string) =>
    form.setValues({ ...values, fields: { ...values.fields, [field]: value } });
  const text = (field: Field, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField
      label={at(`field.${field}`)}
      value={values.fields[field]}
      onChange={set(field)}
      error={fieldErrors[field]}
      autoComplete="off"
      testId={`contact-${field}`}
      {...extra}
    />
  );
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2">
        {text('firstName', { dir: 'auto' })}
        {text('lastName', { dir: 'auto' })}
        {text('email', {
          type: 'email',
          inputMode: 'email',
          autoCapitalize: 'none',
          spellCheck: false,
          error: form.needsAddress ? at('needsEmailOrPhone') : fieldErrors.email,
        })}
        {text('phone', { type: 'tel', dir: 'ltr', inputMode: 'tel', hint: at('field.phoneHint') })}
        {text('country', { dir: 'auto', hint: at('field.countryHint') })}
        {text('city', { dir: 'auto' })}
        <SelectField
          label={at('field.lifecycleStage')}
          value={values.fields.lifecycleStage}
          onChange={set('lifecycleStage')}
          error={fieldErrors.lifecycleStage}
          options={[
            { value: '', label: at('choose') },
            ...LIFECYCLE_STAGES.map((s) => ({ value: s, label: at(`stage.${s}`) })),
          ]}
          testId="contact-lifecycleStage"
        />
        <SelectField
          label={at('field.gender')}
          value={values.fields.gender}
          onChange={set('gender')}
          error={fieldErrors.gender}
          options={[
            { value: '', label: at('choose') },
            ...GENDERS.map((g) => ({ value: g, label: at(`gender.${g}`) })),
          ]}
          testId="contact-gender"
        />
        {text('birthDate', { type: 'date' })}
        {text('source', { dir: 'auto' })}
        <div className={wide}>
          <TextField
            label={at('field.interests')}
            hint={at('field.interestsHint')}
            value={values.interests}
            onChange={(interests) => form.setValues({ ...values, interests })}
            error={fieldErrors.interests}
            dir="auto"
            autoComplete="off"
            testId="contact-interests"
          />
        </div>
      </div>
      {defs.length > 0 && (
        <fieldset className="space-y-4 border-t border-zinc-200 pt-4">
          <legend className="pe-2 text-sm font-semibold text-zinc-900">{at('field.custom')}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            {defs.map((def) => (
              <AttributeInput
                key={def.key}
                def={def}
                value={values.attributes[def.key] ?? ''}
                error={fieldErrors[attributeField(def.key)]}
                onChange={(value) =>
                  form.setValues({ ...values, attributes: { ...values.attributes, [def.key]: value } })
                }
                i18n={i18n}
              />
            ))}
          </div>
        </fieldset>
      )}
    </div>
  );
}

function AttributeInput({
  def,
  value,
  error,
  onChange,
  i18n,
}: {
  def: AttributeDefinition;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  i18n: AudienceI18n;
}) {
  const { at } = i18n;
  const common = { label: def.label, value, onChange, error, testId: `contact-attr-${def.key}` };
  if (def.type === 'boolean') {
    return (
      <SelectField
        {...common}
        options={[
          { value: '', label: at('choose') },
          { value: 'true', label: at('yes') },
          { value: 'false', label: at('no') },
        ]}
      />
    );
  }
  if (def.type === 'list') {
    const options = def.options ?? [];
    // A value no longer among the options stays visible rather than silently changing.
    const all = value && !options.includes(value) ? [...options, value] : options;
    return (
      <SelectField
        {...common}
        options={[{ value: '', label: at('choose') }, ...all.map((o) => ({ value: o, label: o }))]}
      />
    );
  }
  if (def.type === 'date') return <TextField {...common} type="date" />;
  if (def.type === 'number')
    return <TextField {...common} inputMode="decimal" dir="ltr" autoComplete="off" />;
  return <TextField {...common} dir="auto" autoComplete="off" />;
}

/** The API's warnings (an email that looks mistyped, …) next to the form, with the field's label. */
export function Warnings({
  warnings,
  defs,
}: {
  warnings: readonly FieldWarning[];
  defs: readonly AttributeDefinition[];
}) {
  const { at } = useAudienceI18n();
  if (warnings.length === 0) return null;
  const label = (field: string) => {
    if ((TEXT_FIELDS as readonly string[]).includes(field)) return at(`field.${field as Field}`);
    return defs.find((d) => attributeField(d.key) === field)?.label ?? field;
  };
  return (
    <div
      role="status"
      data-testid="contact-warnings"
      className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <p className="font-medium">{at('warnings')}</p>
      <ul className="mt-1 list-disc space-y-1 ps-5">
        {warnings.map((w) => (
          <li key={`${w.field}-${w.reason}`}>
            {label(w.field)}: <bdi>{w.reason}</bdi>
          </li>
        ))}
      </ul>
    </div>
  );
}
