import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { listContacts } from '../audience/api.ts';
import { Button } from '../components/Button.tsx';
import { Form, StatusMessage } from '../components/Form.tsx';
import { Section } from '../components/Section.tsx';
import { TextField } from '../components/TextField.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { queryClient } from '../session/queryClient.ts';
import { type Message, sendTestEmail } from './api.ts';
import type { MessagingI18n } from './i18n.ts';
import { contactMessagesKey } from './keys.ts';
import { isKnownStatus } from './logic.ts';

class NoContact extends Error {}

/** The contact of the workspace with exactly this email (the search also matches names and parts). */
async function contactByEmail(ws: string, email: string): Promise<string> {
  const wanted = email.trim().toLowerCase();
  const { contacts } = await listContacts(ws, { search: wanted });
  const found = contacts.find((c) => c.email?.toLowerCase() === wanted);
  if (!found) throw new NoContact();
  return found.id;
}

/**
 * "Send test": the saved template to one contact of the workspace, queued as a non-marketing
 * email through POST /messages (which needs a contact, not a bare address).
 */
export function SendTest({
  ws,
  templateId,
  i18n,
}: {
  ws: string;
  templateId: string | null;
  i18n: MessagingI18n;
}) {
  const { mt, t } = i18n;
  const [email, setEmail] = useState('');
  const send = useMutation({
    mutationFn: async (): Promise<Message> => {
      const contactId = await contactByEmail(ws, email);
      return (await sendTestEmail(ws, contactId, templateId ?? '')).message;
    },
    onSuccess: (message) => {
      if (message.contactId) {
        queryClient.invalidateQueries({ queryKey: contactMessagesKey(ws, message.contactId) });
      }
    },
  });
  const error =
    send.error instanceof NoContact ? mt('test.noContact') : send.error ? errorMessage(send.error, t) : null;
  const status = send.data?.status ?? '';
  return (
    <Section title={mt('test.title')} description={mt('test.intro')} testId="send-test">
      {templateId === null ? (
        <p className="text-sm text-zinc-600">{mt('test.saveFirst')}</p>
      ) : (
        <Form onSubmit={() => send.mutate()} error={error} testId="send-test-form" className="space-y-4">
          <TextField
            label={mt('test.email')}
            type="email"
            required
            value={email}
            onChange={setEmail}
            testId="send-test-email"
          />
          <div className="flex flex-wrap items-center gap-4">
            <Button type="submit" busy={send.isPending} testId="send-test-submit">
              {send.isPending ? mt('test.sending') : mt('test.send')}
            </Button>
            <StatusMessage
              message={
                send.data
                  ? mt('test.queued', { status: isKnownStatus(status) ? mt(`status.${status}`) : status })
                  : null
              }
              testId="send-test-queued"
            />
          </div>
        </Form>
      )}
    </Section>
  );
}
