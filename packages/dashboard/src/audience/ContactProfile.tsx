import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, focusFirstInvalid, StatusMessage } from '../components/Form.tsx';
import { Section } from '../components/Section.tsx';
import { queryClient } from '../session/queryClient.ts';
import { type AttributeDefinition, type Contact, type FieldWarning, updateContact } from './api.ts';
import { ContactFields, useContactForm, Warnings } from './ContactFields.tsx';
import { attributeText, formValuesOf, patchBody } from './contactForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { contactKey, contactsKey } from './keys.ts';

/** The profile card; "Edit" swaps it for the form, which sends only what changed. */
export function ContactProfile({
  ws,
  contact,
  defs,
  write,
}: {
  ws: string;
  contact: Contact;
  defs: AttributeDefinition[];
  write: boolean;
}) {
  const { at } = useAudienceI18n();
  const [editing, setEditing] = useState(false);
  const [outcome, setOutcome] = useState<{ message: string; warnings: FieldWarning[] } | null>(null);
  return (
    <Section
      title={at('contact.profile')}
      testId="contact-profile"
      aside={
        write &&
        !editing && (
          <Button
            onClick={() => {
              setOutcome(null);
              setEditing(true);
            }}
            testId="contact-edit"
          >
            {at('contact.edit')}
          </Button>
        )
      }
    >
      {editing ? (
        <EditContact
          ws={ws}
          contact={contact}
          defs={defs}
          onDone={(result) => {
            setOutcome(result);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="space-y-4">
          <StatusMessage message={outcome?.message ?? null} testId="contact-saved" />
          {outcome && <Warnings warnings={outcome.warnings} defs={defs} />}
          <ProfileFacts contact={contact} defs={defs} />
        </div>
      )}
    </Section>
  );
}

function ProfileFacts({ contact: c, defs }: { contact: Contact; defs: AttributeDefinition[] }) {
  const { at, date, number } = useAudienceI18n();
  const ltr = (value: string | null) => value && <bdi dir="ltr">{value}</bdi>;
  const plain = (value: string | null) => value && <bdi>{value}</bdi>;
  const facts: [string, ReactNode][] = [
    [at('field.email'), ltr(c.email)],
    [at('field.phone'), ltr(c.phone)],
    [at('field.country'), plain(c.country)],
    [at('field.city'), plain(c.city)],
    [at('field.lifecycleStage'), c.lifecycleStage && at(`stage.${c.lifecycleStage}`)],
    [at('field.gender'), c.gender && at(`gender.${c.gender}`)],
    [at('field.birthDate'), c.birthDate && date(`${c.birthDate}T00:00:00Z`, 'date', 'UTC')],
    [at('field.source'), plain(c.source)],
    [at('field.interests'), c.interests.length > 0 && <bdi>{c.interests.join('، ')}</bdi>],
    ...defs.map((d): [string, ReactNode] => {
      const value = c.attributes[d.key];
      if (value === undefined || value === null) return [d.label, null];
      if (typeof value === 'boolean') return [d.label, at(value ? 'yes' : 'no')];
      if (typeof value === 'number') return [d.label, number(value)];
      if (d.type === 'date') return [d.label, date(`${value}T00:00:00Z`, 'date', 'UTC')];
      return [d.label, <bdi key={d.key}>{attributeText(value)}</bdi>];
    }),
  ];
  return (
    <div className="space-y-4">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2" data-testid="contact-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-medium text-zinc-600">{label}</dt>
            <dd className="mt-0.5 text-sm text-zinc-900">{value || at('none')}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-zinc-600">
        {at('contact.createdAt', { date: date(c.createdAt) })} ·{' '}
        {at('contact.updatedAt', { date: date(c.updatedAt) })} ·{' '}
        {at('contact.leadScore', { score: c.leadScore })}
      </p>
    </div>
  );
}

function EditContact({
  ws,
  contact,
  defs,
  onDone,
  onCancel,
}: {
  ws: string;
  contact: Contact;
  defs: AttributeDefinition[];
  onDone: (outcome: { message: string; warnings: FieldWarning[] }) => void;
  onCancel: () => void;
}) {
  const { t, at } = useAudienceI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof patchBody>) => updateContact(ws, contact.id, body),
    onSuccess: (result) => {
      queryClient.setQueryData(contactKey(ws, contact.id), { contact: result.contact });
      queryClient.invalidateQueries({ queryKey: contactsKey(ws) });
      onDone({ message: at('contact.saved'), warnings: result.warnings });
    },
  });
  const form = useContactForm(formValuesOf(contact, defs), defs, save.error);
  // After the render that marks the field the server named, not before it.
  useEffect(() => {
    if (save.error) focusFirstInvalid(formRef.current);
  }, [save.error]);
  const submit = () => {
    if (save.isError) save.reset();
    const body = patchBody(contact, form.values, defs);
    if (Object.keys(body).length === 0) return onDone({ message: at('contact.noChanges'), warnings: [] });
    if (!form.check()) return focusFirstInvalid(formRef.current);
    save.mutate(body);
  };
  return (
    <Form onSubmit={submit} error={form.formError} formRef={formRef} testId="contact-edit-form">
      <ContactFields form={form} defs={defs} />
      <div className="flex flex-wrap justify-end gap-3 border-t border-zinc-200 pt-4">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={save.isPending} testId="contact-save">
          {save.isPending ? at('contact.saving') : at('contact.save')}
        </Button>
      </div>
    </Form>
  );
}
