import { describe, expect, it } from 'vitest';
import { classifySmtpReply, classifyStatus, parseSmtpReply } from '../../../src/email/feedback/index.ts';

describe('classifyStatus: the RFC 3463 table', () => {
  const cases: Array<[number | undefined, string | undefined, string, string]> = [
    [550, '5.1.1', 'hard', '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)'],
    [550, '5.1.10', 'hard', '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)'],
    [553, '5.1.7', 'failed', '5.1.7/5.1.8 bad sender address (RFC 3463 §3.2)'],
    [550, '5.2.1', 'hard', '5.2.1 mailbox disabled (RFC 3463 §3.3)'],
    [552, '5.2.2', 'soft', '5.2.2 mailbox full (RFC 3463 §3.3): soft by common practice'],
    [552, '5.2.3', 'failed', '5.2.3 message too long for the mailbox (RFC 3463 §3.3)'],
    [554, '5.3.4', 'failed', '5.3.3/5.3.4 feature missing or message too big (RFC 3463 §3.4)'],
    [550, '5.4.4', 'hard', '5.4.4 unable to route (RFC 3463 §3.5)'],
    [undefined, '5.4.7', 'soft', '5.4.x network and routing (RFC 3463 §3.5)'],
    [500, '5.5.2', 'failed', '5.5.x mail protocol status (RFC 3463 §3.6)'],
    [554, '5.6.0', 'failed', '5.6.x message content or media (RFC 3463 §3.7)'],
    [550, '5.7.1', 'failed', '5.7.x security or policy block (RFC 3463 §3.8): not a bounce of the address'],
    [550, '5.7.26', 'failed', '5.7.x security or policy block (RFC 3463 §3.8): not a bounce of the address'],
    [550, '5.0.0', 'hard', '550 mailbox unavailable (RFC 5321 §4.2.2)'],
    [550, undefined, 'hard', '550 mailbox unavailable (RFC 5321 §4.2.2)'],
    [556, undefined, 'hard', '556 domain does not accept mail (RFC 7504)'],
    [552, undefined, 'soft', '552 exceeded storage allocation (RFC 5321 §4.2.2)'],
    [554, undefined, 'failed', '554 syntax error or transaction failed (RFC 5321 §4.2.2)'],
    [undefined, '5.0.0', 'soft', 'undetermined permanent failure: too little to suppress the address'],
    [451, '4.7.1', 'retry', '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)'],
    [452, '4.2.2', 'retry', '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)'],
    // The reply code wins when the classes disagree.
    [421, '5.1.1', 'retry', '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)'],
  ];
  it.each(cases)('%s %s → %s', (code, enhancedCode, outcome, rule) => {
    const input = {
      ...(code === undefined ? {} : { code }),
      ...(enhancedCode === undefined ? {} : { enhancedCode }),
    };
    expect(classifyStatus(input)).toEqual({ ok: true, value: { outcome, rule } });
  });

  it('refuses successes, bad codes and empty input, naming the field', () => {
    expect(classifyStatus({ code: 250 })).toEqual({
      ok: false,
      error: { code: 'invalid', message: '250 is a success, not a refusal', field: 'code' },
    });
    expect(classifyStatus({ code: 999 })).toMatchObject({ ok: false, error: { field: 'code' } });
    expect(classifyStatus({ code: 550, enhancedCode: '5.1' })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'enhancedCode must look like 5.1.1, got "5.1"',
        field: 'enhancedCode',
      },
    });
    expect(classifyStatus({})).toMatchObject({ ok: false, error: { field: 'code' } });
  });
});

describe('parseSmtpReply and classifySmtpReply', () => {
  it('reads a multi-line Gmail refusal into a hard bounce', () => {
    const response =
      '550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n' +
      "550-5.1.1 double-checking the recipient's email address for typos or\r\n" +
      '550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1si123';
    const reply = parseSmtpReply(response);
    expect(reply).toEqual({
      ok: true,
      value: {
        code: 550,
        enhancedCode: '5.1.1',
        text:
          'The email account that you tried to reach does not exist. Please try ' +
          "double-checking the recipient's email address for typos or " +
          'unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1si123',
      },
    });
    if (!reply.ok) return;
    const classified = classifySmtpReply(reply.value);
    expect(classified).toEqual({
      ok: true,
      value: {
        refused: {
          ok: false,
          retryable: false,
          code: '550',
          reason: `5.1.1 ${reply.value.text}`,
          bounce: 'hard',
        },
        rule: '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)',
      },
    });
  });

  it('makes 4xx retryable without a bounce, and a spam block failed without a bounce', () => {
    expect(classifySmtpReply({ code: 451, enhancedCode: '4.7.1', text: 'Try again later' })).toEqual({
      ok: true,
      value: {
        refused: { ok: false, retryable: true, code: '451', reason: '4.7.1 Try again later' },
        rule: '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)',
      },
    });
    const spam = parseSmtpReply('554 5.7.1 Message rejected: spam detected');
    expect(spam.ok && classifySmtpReply(spam.value)).toEqual({
      ok: true,
      value: {
        refused: {
          ok: false,
          retryable: false,
          code: '554',
          reason: '5.7.1 Message rejected: spam detected',
        },
        rule: '5.7.x security or policy block (RFC 3463 §3.8): not a bounce of the address',
      },
    });
  });

  it('keeps Arabic reply text and makes a full mailbox a soft bounce', () => {
    const reply = parseSmtpReply('552 5.2.2 صندوق البريد ممتلئ');
    expect(reply).toEqual({
      ok: true,
      value: { code: 552, enhancedCode: '5.2.2', text: 'صندوق البريد ممتلئ' },
    });
    expect(reply.ok && classifySmtpReply(reply.value)).toMatchObject({
      ok: true,
      value: { refused: { reason: '5.2.2 صندوق البريد ممتلئ', bounce: 'soft', retryable: false } },
    });
  });

  it('reads a reply without an enhanced code', () => {
    expect(parseSmtpReply('550 Requested action not taken: mailbox unavailable')).toEqual({
      ok: true,
      value: { code: 550, text: 'Requested action not taken: mailbox unavailable' },
    });
  });

  it('refuses a response without a reply code, naming the field', () => {
    expect(parseSmtpReply('Connection closed')).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'response does not start with a reply code: "Connection closed"',
        field: 'response',
      },
    });
  });
});
