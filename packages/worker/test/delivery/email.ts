/** Test helpers for delivering email through the engine: messages to enqueue and a composer for them. */
import type { EmailMessage } from '@wasl/channels';
import { newId } from '@wasl/core';
import type { MessageRow } from '@wasl/store';
import type { Prepared } from '../../src/delivery/engine.ts';
import type { NewMessage } from '../../src/delivery/message-store.ts';

export interface TestContent {
  to: string;
  name: string;
  skip?: string;
}

export function testMessages(
  workspaceId: string,
  recipients: readonly TestContent[],
  sourceId = 'c1',
): NewMessage[] {
  return recipients.map((content, i) => ({
    id: newId(),
    workspaceId,
    idempotencyKey: `campaign:${sourceId}:contact:${i}:email`,
    channel: 'email',
    address: content.to,
    sourceKind: 'campaign',
    sourceId,
    marketing: true,
    content,
  }));
}

/** Message-IDs derived from the message id: a resend would carry the same one. */
export const messageIdOf = (row: Pick<MessageRow, 'id'>) => `wasl-${row.id}@mail.example.sa`;

export async function prepareTestEmail(row: MessageRow): Promise<Prepared> {
  const content = JSON.parse(row.content) as TestContent;
  if (content.skip) return { kind: 'skip', reason: content.skip };
  const message: EmailMessage = {
    id: row.id,
    messageId: messageIdOf(row),
    from: { address: 'news@mail.example.sa', name: 'متجر الورد' },
    to: { address: content.to, name: content.name },
    subject: `مرحبًا ${content.name}، عروض هذا الأسبوع`,
    html: `<p dir="rtl">مرحبًا ${content.name}</p>`,
    text: `مرحبًا ${content.name}`,
    headers: {
      'List-Unsubscribe': `<https://wasl.example.sa/u/${row.id}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
  return { kind: 'send', message };
}
