/**
 * Classifies an SMTP refusal — at send time, or as returned in a DSN — into
 * what Wasl does with the address. One table, first match wins; each row names
 * its rule, which is kept with the result for the delivery log.
 *
 * | status (RFC 3463)        | outcome | why                                                                 |
 * | ------------------------ | ------- | ------------------------------------------------------------------- |
 * | 4xx reply / 4.X.X        | retry   | transient (RFC 5321 §4.2.1 4yz, RFC 3463 §3.1 class 4)               |
 * | 5.1.7, 5.1.8             | failed  | bad sender address (§3.2): our side, not the recipient's             |
 * | 5.1.X (other)            | hard    | bad destination mailbox/system/syntax, moved, null MX (§3.2, RFC 7505) |
 * | 5.2.1                    | hard    | mailbox disabled, not accepting messages (§3.3)                      |
 * | 5.2.2                    | soft    | mailbox full (§3.3): soft by common practice, the mailbox exists     |
 * | 5.2.3                    | failed  | message longer than the mailbox allows (§3.3): the message's fault   |
 * | 5.2.X (other)            | soft    | other mailbox status (§3.3)                                          |
 * | 5.3.3, 5.3.4             | failed  | system lacks a feature / message too big (§3.4): the message's fault |
 * | 5.3.X (other)            | soft    | the receiving mail system is full or down (§3.4)                     |
 * | 5.4.4                    | hard    | unable to route: the domain has no mail host (§3.5)                  |
 * | 5.4.X (other)            | soft    | network and routing trouble, incl. 5.4.7 delivery time expired (§3.5)|
 * | 5.5.X                    | failed  | mail protocol error (§3.6)                                           |
 * | 5.6.X                    | failed  | message content or media refused (§3.7)                              |
 * | 5.7.X                    | failed  | security or policy, e.g. spam or reputation blocks, DMARC (§3.8, RFC 7372): never suppresses the address |
 * | 521, 556                 | hard    | the domain does not accept mail (RFC 7504)                          |
 * | 550, 551, 553            | hard    | mailbox unavailable / not local / name not allowed (RFC 5321 §4.2.2) |
 * | 552                      | soft    | exceeded storage allocation (RFC 5321 §4.2.2)                        |
 * | 500–504, 554, 555        | failed  | syntax error or transaction failed, often a policy block (RFC 5321)  |
 * | any other 5xx / 5.X.X    | soft    | undetermined permanent failure: not enough to suppress the address   |
 *
 * The basic reply code rows apply only when the enhanced code is absent or
 * not matched by a 5.X.X row (e.g. 5.0.0). When the reply code and the
 * enhanced code disagree in class (a 4xx reply with 5.X.X), the reply code
 * wins and the enhanced code is ignored (RFC 3463 §2: they must agree).
 * Reply text is never guessed at: wording varies by server and language.
 */
import { err, ok, problem, type Result } from '@wasl/core';
import type { BounceKind, SendRefused } from '../../types.ts';

export type StatusOutcome = 'retry' | BounceKind | 'failed';

export interface StatusClass {
  outcome: StatusOutcome;
  /** The table row that decided, e.g. '5.2.2 mailbox full (RFC 3463 §3.3): soft by common practice'. */
  rule: string;
}

interface EnhancedRow {
  pattern: RegExp;
  outcome: StatusOutcome;
  rule: string;
}

const ENHANCED_ROWS: EnhancedRow[] = [
  { pattern: /^5\.1\.[78]$/, outcome: 'failed', rule: '5.1.7/5.1.8 bad sender address (RFC 3463 §3.2)' },
  {
    pattern: /^5\.1\.\d+$/,
    outcome: 'hard',
    rule: '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)',
  },
  { pattern: /^5\.2\.1$/, outcome: 'hard', rule: '5.2.1 mailbox disabled (RFC 3463 §3.3)' },
  {
    pattern: /^5\.2\.2$/,
    outcome: 'soft',
    rule: '5.2.2 mailbox full (RFC 3463 §3.3): soft by common practice',
  },
  { pattern: /^5\.2\.3$/, outcome: 'failed', rule: '5.2.3 message too long for the mailbox (RFC 3463 §3.3)' },
  { pattern: /^5\.2\.\d+$/, outcome: 'soft', rule: '5.2.x other mailbox status (RFC 3463 §3.3)' },
  {
    pattern: /^5\.3\.[34]$/,
    outcome: 'failed',
    rule: '5.3.3/5.3.4 feature missing or message too big (RFC 3463 §3.4)',
  },
  { pattern: /^5\.3\.\d+$/, outcome: 'soft', rule: '5.3.x mail system status (RFC 3463 §3.4)' },
  { pattern: /^5\.4\.4$/, outcome: 'hard', rule: '5.4.4 unable to route (RFC 3463 §3.5)' },
  { pattern: /^5\.4\.\d+$/, outcome: 'soft', rule: '5.4.x network and routing (RFC 3463 §3.5)' },
  { pattern: /^5\.5\.\d+$/, outcome: 'failed', rule: '5.5.x mail protocol status (RFC 3463 §3.6)' },
  { pattern: /^5\.6\.\d+$/, outcome: 'failed', rule: '5.6.x message content or media (RFC 3463 §3.7)' },
  {
    pattern: /^5\.7\.\d+$/,
    outcome: 'failed',
    rule: '5.7.x security or policy block (RFC 3463 §3.8): not a bounce of the address',
  },
];

const BASIC_ROWS: Record<number, StatusClass> = {
  521: { outcome: 'hard', rule: '521 domain does not accept mail (RFC 7504)' },
  556: { outcome: 'hard', rule: '556 domain does not accept mail (RFC 7504)' },
  550: { outcome: 'hard', rule: '550 mailbox unavailable (RFC 5321 §4.2.2)' },
  551: { outcome: 'hard', rule: '551 user not local (RFC 5321 §4.2.2)' },
  553: { outcome: 'hard', rule: '553 mailbox name not allowed (RFC 5321 §4.2.2)' },
  552: { outcome: 'soft', rule: '552 exceeded storage allocation (RFC 5321 §4.2.2)' },
};

const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Classifies a non-success status from its SMTP reply code and/or enhanced
 * status code (at least one is needed; 2xx / 2.X.X are not failures).
 */
export function classifyStatus(input: { code?: number; enhancedCode?: string }): Result<StatusClass> {
  const { code } = input;
  if (code !== undefined && !(Number.isInteger(code) && code >= 200 && code <= 599)) {
    return err(problem('invalid', `code must be an SMTP reply code (200–599), got ${code}`, 'code'));
  }
  let enhanced = input.enhancedCode;
  if (enhanced !== undefined && !ENHANCED.test(enhanced)) {
    return err(problem('invalid', `enhancedCode must look like 5.1.1, got "${enhanced}"`, 'enhancedCode'));
  }
  if (code !== undefined && enhanced !== undefined && enhanced[0] !== String(code)[0]) enhanced = undefined;
  const klass = code === undefined ? enhanced?.[0] : String(code)[0];
  if (klass === undefined) {
    return err(problem('invalid', 'a reply code or an enhanced code is needed', 'code'));
  }
  if (klass === '2') {
    return err(
      problem('invalid', `${code ?? enhanced} is a success, not a refusal`, code ? 'code' : 'enhancedCode'),
    );
  }
  if (klass === '3') {
    return err(problem('invalid', `${code} is an intermediate reply, not a refusal`, 'code'));
  }
  if (klass === '4') return ok({ outcome: 'retry', rule: '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)' });
  const row = enhanced === undefined ? undefined : ENHANCED_ROWS.find((r) => r.pattern.test(enhanced));
  if (row !== undefined) return ok({ outcome: row.outcome, rule: row.rule });
  const basic = code === undefined ? undefined : BASIC_ROWS[code];
  if (basic !== undefined) return ok(basic);
  if (code !== undefined && ((code >= 500 && code <= 504) || code === 554 || code === 555)) {
    return ok({ outcome: 'failed', rule: `${code} syntax error or transaction failed (RFC 5321 §4.2.2)` });
  }
  return ok({ outcome: 'soft', rule: 'undetermined permanent failure: too little to suppress the address' });
}

export interface SmtpReply {
  /** The three-digit reply code, e.g. 550. */
  code: number;
  /** The RFC 3463 enhanced status code when the server gave one, e.g. '5.1.1'. */
  enhancedCode?: string;
  /** The server's words without the codes. */
  text: string;
}

/**
 * Reads a reply as servers send it, one or more lines such as
 * "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 …".
 */
export function parseSmtpReply(response: string): Result<SmtpReply> {
  const lines = response.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = /^([2-5]\d\d)(?:[ -]|$)/.exec(lines[0] ?? '');
  if (first === null) {
    return err(
      problem('invalid', `response does not start with a reply code: "${response.slice(0, 80)}"`, 'response'),
    );
  }
  const code = Number(first[1]);
  let enhancedCode: string | undefined;
  const words: string[] = [];
  for (const line of lines) {
    let rest = line.replace(/^\d{3}[ -]?/, '');
    const enhanced = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/.exec(rest);
    if (enhanced !== null) {
      enhancedCode ??= enhanced[1];
      rest = rest.slice(enhanced[0].length);
    }
    if (rest.trim() !== '') words.push(rest.trim());
  }
  return ok({ code, ...(enhancedCode === undefined ? {} : { enhancedCode }), text: words.join(' ') });
}

/** Turns a refusal at send time into SendRefused, with the rule that decided. */
export function classifySmtpReply(reply: SmtpReply): Result<{ refused: SendRefused; rule: string }> {
  const klass = classifyStatus(reply);
  if (!klass.ok) return klass;
  const { outcome, rule } = klass.value;
  const reason = reply.enhancedCode === undefined ? reply.text : `${reply.enhancedCode} ${reply.text}`.trim();
  const refused: SendRefused = {
    ok: false,
    retryable: outcome === 'retry',
    code: String(reply.code),
    reason,
  };
  if (outcome === 'hard' || outcome === 'soft') refused.bounce = outcome;
  return ok({ refused, rule });
}
