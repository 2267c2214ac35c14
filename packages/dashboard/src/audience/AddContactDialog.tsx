import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { Button } from '../components/Button.tsx';
import { Form, focusFirstInvalid } from '../components/Form.tsx';
import { CloseIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { queryClient } from '../session/queryClient.ts';
import {
  type AttributeDefinition,
  type Contact,
  createContact,
  type FieldWarning,
  listAttributes,
} from './api.ts';
import { ContactFields, useContactForm } from './ContactFields.tsx';
import { createBody, formValuesOf } from './contactForm.ts';
import { useAudienceI18n } from './i18n.ts';
import { attributesKey, contactsKey } from './keys.ts';

export interface Added {
  contact: Contact;
  warnings: FieldWarning[];
}

/** "Add contact" in a native modal <dialog>: Escape closes it and focus returns where it was. */
export function AddContactDialog({
  ws,
  open,
  onClose,
  onAdded,
}: {
  ws: string;
  open: boolean;
  onClose: () => void;
  onAdded: (added: Added) => void;
}) {
  const { at } = useAudienceI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const attributes = useQuery({
    queryKey: attributesKey(ws),
    queryFn: () => listAttributes(ws),
    enabled: open,
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid="contact-add-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto max-h-[calc(100vh-2rem)] w-[min(44rem,calc(100vw-2rem))] overflow-y-auto rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl"
    >
      <div className="mb-4 flex items-start justify-between gap-4">
        <h2 id={titleId} className="text-lg font-semibold">
          {at('add')}
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label={at('close')} className="-me-2 -mt-1 px-2">
          <CloseIcon className="size-5" />
        </Button>
      </div>
      {open && attributes.isPending && <Loading />}
      {attributes.isError && <LoadError error={attributes.error} onRetry={() => attributes.refetch()} />}
      {open && attributes.data && (
        <AddContactForm
          ws={ws}
          defs={attributes.data.attributes}
          onCancel={onClose}
          onAdded={(added) => {
            onAdded(added);
            onClose();
          }}
        />
      )}
    </dialog>
  );
}

function AddContactForm({
  ws,
  defs,
  onCancel,
  onAdded,
}: {
  ws: string;
  defs: AttributeDefinition[];
  onCancel: () => void;
  onAdded: (added: Added) => void;
}) {
  const { t, at } = useAudienceI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const create = useMutation({
    mutationFn: () => createContact(ws, createBody(form.values, defs)),
    onSuccess: (result) => {
      queryClient.invalidateQueries({ queryKey: contactsKey(ws) });
      onAdded(result);
    },
  });
  const form = useContactForm(formValuesOf(null, defs), defs, create.error);
  // After the render that marks the field the server named, not before it.
  useEffect(() => {
    if (create.error) focusFirstInvalid(formRef.current);
  }, [create.error]);
  const submit = () => {
    if (create.isError) create.reset();
    if (!form.check()) return focusFirstInvalid(formRef.current);
    create.mutate();
  };
  return (
    <Form onSubmit={submit} error={form.formError} formRef={formRef} testId="contact-add-form">
      <ContactFields form={form} defs={defs} />
      <div className="flex flex-wrap justify-end gap-3 border-t border-zinc-200 pt-4">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="submit" variant="primary" busy={create.isPending} testId="contact-add-submit">
          {create.isPending ? at('adding') : at('add')}
        </Button>
      </div>
    </Form>
  );
}
