import { describe, expect, it } from 'vitest';
import {
  isReceipt,
  parseReceiptDate,
  parseReceiptText,
  reportFromDeliverSm,
  toE164,
} from '../../src/sms/deliver.ts';

const NOW = Date.UTC(2026, 10, 23, 9, 0);

describe('receipts', () => {
  it('recognises the receipt message types in esm_class', () => {
    expect(isReceipt(0x04)).toBe(true);
    expect(isReceipt(0x44)).toBe(true);
    expect(isReceipt(0x20)).toBe(true);
    expect(isReceipt(0x00)).toBe(false);
    expect(isReceipt(0x40)).toBe(false);
    expect(isReceipt(0x08)).toBe(false);
  });

  it('parses the appendix B receipt text', () => {
    expect(
      parseReceiptText(
        'id:0123456789 sub:001 dlvrd:001 submit date:2611230815 done date:2611230816 stat:DELIVRD err:000 Text:Hello',
      ),
    ).toEqual({
      id: '0123456789',
      sub: '001',
      dlvrd: '001',
      'submit date': '2611230815',
      'done date': '2611230816',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello',
    });
  });

  it('reads done dates with and without seconds, and refuses nonsense', () => {
    expect(parseReceiptDate('2611230816')).toBe(Date.UTC(2026, 10, 23, 8, 16));
    expect(parseReceiptDate('261123081659')).toBe(Date.UTC(2026, 10, 23, 8, 16, 59));
    expect(parseReceiptDate('2613230816')).toBeUndefined();
    expect(parseReceiptDate('yesterday')).toBeUndefined();
    expect(parseReceiptDate(undefined)).toBeUndefined();
  });

  it.each([
    ['EXPIRED', 'failed'],
    ['REJECTD', 'failed'],
    ['UNDELIV', 'failed'],
    ['DELIVRD', 'delivered'],
  ])('maps stat:%s to %s', (stat, status) => {
    const report = reportFromDeliverSm(
      {
        esmClass: 0x04,
        sourceAddr: '966501234567',
        destinationAddr: 'Wasl',
        text: `id:abc sub:001 dlvrd:000 submit date:2611230815 done date:2611230816 stat:${stat} err:0`,
      },
      NOW,
    );
    expect(report).toEqual({
      status,
      at: Date.UTC(2026, 10, 23, 8, 16),
      providerMessageId: 'abc',
      recipient: '+966501234567',
      detail: { stat, err: '0' },
    });
  });

  it('prefers the receipted_message_id and message_state TLVs over the text', () => {
    expect(
      reportFromDeliverSm(
        {
          esmClass: 0x04,
          sourceAddr: '966501234567',
          destinationAddr: '',
          text: '',
          receiptedMessageId: 'X9',
          messageState: 8,
        },
        NOW,
      ),
    ).toEqual({
      status: 'failed',
      at: NOW,
      providerMessageId: 'X9',
      recipient: '+966501234567',
      detail: { stat: 'REJECTD' },
    });
  });

  it('ignores intermediate receipts and receipts without an id', () => {
    const intermediate = {
      esmClass: 0x20,
      sourceAddr: '1',
      destinationAddr: '',
      text: 'id:1 stat:ENROUTE err:0',
    };
    expect(reportFromDeliverSm(intermediate, NOW)).toBeUndefined();
    const anonymous = { esmClass: 0x04, sourceAddr: '1', destinationAddr: '', text: 'stat:DELIVRD' };
    expect(reportFromDeliverSm(anonymous, NOW)).toBeUndefined();
  });
});

describe('replies', () => {
  it('reports STOP as unsubscribed, START as a reply with the intent, anything else as a reply', () => {
    const reply = (text: string) =>
      reportFromDeliverSm({ esmClass: 0, sourceAddr: '00971501234567', destinationAddr: '4567', text }, NOW);
    expect(reply('Stop')).toEqual({
      status: 'unsubscribed',
      at: NOW,
      recipient: '+971501234567',
      detail: { text: 'Stop', to: '4567', intent: 'stop' },
    });
    expect(reply('اشتراك')?.status).toBe('replied');
    expect(reply('اشتراك')?.detail).toEqual({ text: 'اشتراك', to: '4567', intent: 'start' });
    expect(reply('كم السعر؟')).toEqual({
      status: 'replied',
      at: NOW,
      recipient: '+971501234567',
      detail: { text: 'كم السعر؟', to: '4567' },
    });
  });

  it('writes numeric addresses as E.164 and leaves names alone', () => {
    expect(toE164('966501234567')).toBe('+966501234567');
    expect(toE164('+966501234567')).toBe('+966501234567');
    expect(toE164('00966501234567')).toBe('+966501234567');
    expect(toE164('Wasl')).toBe('Wasl');
  });
});
