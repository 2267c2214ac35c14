import { describe, expect, it } from 'vitest';
import { concatenationUdh, sourceAddress, submitSmParts } from '../../src/sms/submit-sm.ts';

describe('sourceAddress', () => {
  it('derives TON/NPI from the sender', () => {
    expect(sourceAddress('+966501234567')).toEqual({
      ok: true,
      value: { ton: 1, npi: 1, addr: '966501234567' },
    });
    expect(sourceAddress('Wasl Store')).toEqual({ ok: true, value: { ton: 5, npi: 0, addr: 'Wasl Store' } });
    expect(sourceAddress('88123')).toEqual({ ok: true, value: { ton: 3, npi: 0, addr: '88123' } });
  });

  it('refuses senders operators would reject, naming from', () => {
    for (const from of ['TooLongSenderId', 'وصل', '', '+0123']) {
      const result = sourceAddress(from);
      expect(result.ok || result.error.field).toBe('from');
    }
  });
});

describe('submitSmParts', () => {
  it('builds a single GSM part without UDH', () => {
    const parts = submitSmParts({ id: '1', from: 'Wasl', to: '+966501234567', text: 'Hi €' }, 7, false);
    expect(parts).toEqual({
      ok: true,
      value: [
        {
          source_addr_ton: 5,
          source_addr_npi: 0,
          source_addr: 'Wasl',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: '966501234567',
          esm_class: 0,
          registered_delivery: 0,
          data_coding: 0,
          short_message: Buffer.from([0x48, 0x69, 0x20, 0x1b, 0x65]),
        },
      ],
    });
  });

  it('gives each part of a long text the same reference and its sequence number', () => {
    const parts = submitSmParts(
      { id: '1', from: 'Wasl', to: '+966501234567', text: 'ي'.repeat(140) },
      300,
      true,
    );
    if (!parts.ok) throw new Error(parts.error.message);
    expect(parts.value.map((p) => [p.esm_class, p.data_coding, p.registered_delivery])).toEqual([
      [0x40, 8, 1],
      [0x40, 8, 1],
      [0x40, 8, 1],
    ]);
    expect(parts.value.map((p) => (p.short_message as { udh: Buffer }).udh)).toEqual([
      concatenationUdh(44, 3, 1),
      concatenationUdh(44, 3, 2),
      concatenationUdh(44, 3, 3),
    ]);
    expect(concatenationUdh(44, 3, 2)).toEqual(Buffer.from([0x05, 0x00, 0x03, 44, 3, 2]));
    expect(parts.value.map((p) => (p.short_message as { message: Buffer }).message.length)).toEqual([
      134, 134, 12,
    ]);
  });

  it('refuses a text of more than 255 parts', () => {
    const parts = submitSmParts(
      { id: '1', from: 'Wasl', to: '+966501234567', text: 'a'.repeat(153 * 256) },
      0,
      true,
    );
    expect(parts).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'text needs 256 parts; at most 255 can be joined', field: 'text' },
    });
  });
});
