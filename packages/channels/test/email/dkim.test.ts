/**
 * DKIM signing checked by a verifier written here from RFC 6376 §3.4/§3.7 and
 * RFC 8463 on node:crypto alone, with its own canonicalisation (not the
 * signer's), plus the RFC's known body hashes and a message that went through
 * a real SMTP server.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { startSmtpSink } from '@wasl/channels/testing';
import { simpleParser } from 'mailparser';
import DKIM from 'nodemailer/lib/dkim';
import { describe, expect, it } from 'vitest';
import {
  bodyHash,
  canonicaliseBody,
  generateDkimKey,
  generateDkimKeyAsync,
  signDkim,
} from '../../src/email/dkim.ts';
import { buildMime } from '../../src/email/mime.ts';
import { SmtpAdapter } from '../../src/email/smtp.ts';
import type { EmailMessage } from '../../src/types.ts';

type Verdict = { ok: true; domain: string; signed: string[] } | { ok: false; reason: string };

/** The independent verifier: parses the first DKIM-Signature and checks bh= and b= against the given p=. */
function verifyDkim(raw: Buffer, publicKeyBase64: string): Verdict {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headerText = text.slice(0, split);
  const body = text.slice(split + 4);
  // Header fields: a line starting with whitespace continues the one before.
  const fields = headerText.split(/\r\n(?![ \t])/);
  const sigField = fields.find((f) => /^dkim-signature\s*:/i.test(f));
  if (!sigField) return { ok: false, reason: 'no signature' };
  const tags = new Map<string, string>();
  for (const part of sigField.slice(sigField.indexOf(':') + 1).split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags.set(part.slice(0, eq).replace(/\s+/g, ''), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  if (tags.get('v') !== '1') return { ok: false, reason: 'v' };
  if (tags.get('c') !== 'relaxed/relaxed') return { ok: false, reason: 'c' };
  // Relaxed body: WSP runs to one space, no WSP before CRLF, no empty lines at the end.
  let canonBody = body
    .replace(/[ \t]+\r\n/g, '\r\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/(\r\n)*$/, '');
  if (canonBody.length > 0) canonBody += '\r\n';
  const bh = createHash('sha256').update(Buffer.from(canonBody, 'latin1')).digest('base64');
  if (bh !== tags.get('bh')) return { ok: false, reason: 'body hash' };
  const relaxed = (field: string) => {
    const i = field.indexOf(':');
    const value = field
      .slice(i + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ | $/g, '');
    return `${field
      .slice(0, i)
      .replace(/[ \t]+$/, '')
      .toLowerCase()}:${value}`;
  };
  const names = (tags.get('h') ?? '').split(':');
  const used = new Set<number>();
  let data = '';
  for (const name of names) {
    // The last unused instance of the name, counting from the bottom.
    for (let i = fields.length - 1; i >= 0; i--) {
      const field = fields[i] ?? '';
      if (used.has(i) || field.slice(0, field.indexOf(':')).trim().toLowerCase() !== name.toLowerCase())
        continue;
      used.add(i);
      data += `${relaxed(field)}\r\n`;
      break;
    }
  }
  data += relaxed(sigField.replace(/(\bb=)[^;]*/, '$1'));
  const bytes = Buffer.from(data, 'latin1');
  const signature = Buffer.from(tags.get('b') ?? '', 'base64');
  const der = Buffer.from(publicKeyBase64, 'base64');
  if (tags.get('a') === 'rsa-sha256') {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (!verify('sha256', bytes, key, signature)) return { ok: false, reason: 'signature' };
  } else if (tags.get('a') === 'ed25519-sha256') {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const digest = createHash('sha256').update(bytes).digest();
    if (!verify(null, digest, key, signature)) return { ok: false, reason: 'signature' };
  } else return { ok: false, reason: 'a' };
  return { ok: true, domain: tags.get('d') ?? '', signed: names };
}

const message = (over: Partial<EmailMessage> = {}): EmailMessage => ({
  id: 'm1',
  messageId: 'm1.abc@wasl.example',
  from: { address: 'news@shop.example', name: 'متجر وصل' },
  to: { address: 'sara@example.org', name: 'سارة' },
  subject: 'عرض خاص: خصم ٢٠٪ على كل المنتجات هذا الأسبوع فقط',
  html: '<p dir="rtl">مرحبا سارة</p>',
  text: 'مرحبا سارة',
  headers: {
    'List-Unsubscribe': '<https://wasl.example/u/abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  ...over,
});

const DATE = Date.UTC(2026, 10, 23, 8, 0, 0);
const rsa = generateDkimKey('rsa-sha256');
const ed = generateDkimKey('ed25519-sha256');

describe('body hashes (RFC 6376 §3.4.3, §3.4.4)', () => {
  it('gives the known hashes of the empty body', () => {
    expect(bodyHash(Buffer.alloc(0), 'relaxed')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(bodyHash(Buffer.alloc(0), 'simple')).toBe('frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=');
    expect(bodyHash(Buffer.from('\r\n\r\n'), 'simple')).toBe('frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=');
  });

  it('canonicalises the RFC 6376 §3.4.5 example body', () => {
    const body = Buffer.from(' C \r\nD \t E\r\n\r\n\r\n');
    expect(canonicaliseBody(body, 'relaxed').toString()).toBe(' C\r\nD E\r\n');
    expect(canonicaliseBody(body, 'simple').toString()).toBe(' C \r\nD \t E\r\n');
  });
});

describe('signDkim', () => {
  it('signs buildMime output with RSA-SHA256 that the independent verifier accepts', () => {
    const signed = signDkim(buildMime(message({ replyTo: { address: 'help@shop.example' } }), DATE), {
      domain: 'shop.example',
      selector: 'wasl202611',
      privateKeyPem: rsa.privateKeyPem,
      algorithm: 'rsa-sha256',
    });
    expect(verifyDkim(signed, rsa.publicKeyBase64)).toEqual({
      ok: true,
      domain: 'shop.example',
      signed: [
        'From',
        'To',
        'Subject',
        'Date',
        'Message-ID',
        'MIME-Version',
        'Content-Type',
        'List-Unsubscribe',
        'List-Unsubscribe-Post',
        'Reply-To',
      ],
    });
    const text = signed.toString('latin1');
    const header = text.slice(0, text.indexOf('\r\nFrom: '));
    expect(header.split('\r\n').length).toBeGreaterThan(3);
    for (const line of header.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(header.startsWith('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example;')).toBe(
      true,
    );
  });

  it("verifies a message signed by nodemailer's DKIM signer, and computes the same bh= as it", async () => {
    // A second, unrelated signer: proves the verifier is not just mirroring our signer.
    const raw = buildMime(message(), DATE);
    const stream = new DKIM({
      domainName: 'shop.example',
      keySelector: 'nm',
      privateKey: rsa.privateKeyPem,
    }).sign(raw);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const theirs = Buffer.concat(chunks);
    expect(verifyDkim(theirs, rsa.publicKeyBase64)).toMatchObject({ ok: true, domain: 'shop.example' });
    const ours = signDkim(raw, {
      domain: 'shop.example',
      selector: 's',
      privateKeyPem: rsa.privateKeyPem,
      algorithm: 'rsa-sha256',
    });
    const bh = (signed: Buffer) =>
      /\bbh=([^;]+);/.exec(signed.toString('latin1').replace(/\r\n[ \t]/g, ''))?.[1];
    expect(bh(ours)).toBe(bh(theirs));
    expect(bh(ours)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('signs only the listed headers the message has', () => {
    const signed = signDkim(buildMime(message({ headers: {} }), DATE), {
      domain: 'shop.example',
      selector: 's1',
      privateKeyPem: rsa.privateKeyPem,
      algorithm: 'rsa-sha256',
    });
    const verdict = verifyDkim(signed, rsa.publicKeyBase64);
    expect(verdict).toEqual({
      ok: true,
      domain: 'shop.example',
      signed: ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type'],
    });
  });

  it('makes key pairs off the event loop that sign and verify', async () => {
    for (const algorithm of ['rsa-sha256', 'ed25519-sha256'] as const) {
      const pair = await generateDkimKeyAsync(algorithm);
      const signed = signDkim(buildMime(message(), DATE), {
        domain: 'shop.example',
        selector: 'a1',
        privateKeyPem: pair.privateKeyPem,
        algorithm,
      });
      expect(verifyDkim(signed, pair.publicKeyBase64)).toMatchObject({ ok: true });
    }
  });

  it('signs with Ed25519-SHA256 (RFC 8463), publishing the raw 32-byte key', () => {
    expect(Buffer.from(ed.publicKeyBase64, 'base64')).toHaveLength(32);
    const signed = signDkim(buildMime(message(), DATE), {
      domain: 'shop.example',
      selector: 'ed1',
      privateKeyPem: ed.privateKeyPem,
      algorithm: 'ed25519-sha256',
    });
    expect(verifyDkim(signed, ed.publicKeyBase64)).toMatchObject({ ok: true });
    expect(signed.toString('latin1')).toMatch(/a=ed25519-sha256;/);
  });

  it('fails verification when a signed header or the body changes, or with another key', () => {
    const key = { domain: 'shop.example', selector: 's1', privateKeyPem: rsa.privateKeyPem } as const;
    const signed = signDkim(buildMime(message(), DATE), { ...key, algorithm: 'rsa-sha256' }).toString(
      'latin1',
    );
    const subject = signed.replace('Subject: =?UTF-8?B?', 'Subject: =?UTF-8?b?');
    expect(verifyDkim(Buffer.from(subject, 'latin1'), rsa.publicKeyBase64)).toEqual({
      ok: false,
      reason: 'signature',
    });
    const body = signed.replace('--\r\n', '--\r\nextra\r\n');
    expect(verifyDkim(Buffer.from(body, 'latin1'), rsa.publicKeyBase64)).toEqual({
      ok: false,
      reason: 'body hash',
    });
    expect(verifyDkim(Buffer.from(signed, 'latin1'), generateDkimKey('rsa-sha256').publicKeyBase64)).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('survives relaxed-equivalent changes a relay may make (refolding, trailing spaces)', () => {
    const signed = signDkim(buildMime(message(), DATE), {
      domain: 'shop.example',
      selector: 's1',
      privateKeyPem: rsa.privateKeyPem,
      algorithm: 'rsa-sha256',
    }).toString('latin1');
    const refolded = signed
      .replace('MIME-Version: 1.0', 'MIME-Version:   1.0  ')
      .replace(/\r\n$/, '\r\n\r\n\r\n');
    expect(refolded).not.toBe(signed);
    expect(verifyDkim(Buffer.from(refolded, 'latin1'), rsa.publicKeyBase64)).toMatchObject({ ok: true });
  });

  it('signs an Arabic (IDN) domain as punycode', () => {
    const signed = signDkim(buildMime(message({ from: { address: 'news@xn--mgbh0fb.example' } }), DATE), {
      domain: 'مثال.example',
      selector: 's1',
      privateKeyPem: ed.privateKeyPem,
      algorithm: 'ed25519-sha256',
    });
    expect(verifyDkim(signed, ed.publicKeyBase64)).toMatchObject({ ok: true, domain: 'xn--mgbh0fb.example' });
  });

  it('refuses a key of the wrong type, an unreadable key, a bad selector, a message without From', () => {
    const raw = buildMime(message(), DATE);
    const base = { domain: 'shop.example', selector: 's1' };
    expect(() =>
      signDkim(raw, { ...base, privateKeyPem: ed.privateKeyPem, algorithm: 'rsa-sha256' }),
    ).toThrow('DKIM key for shop.example is ed25519, not rsa');
    expect(() => signDkim(raw, { ...base, privateKeyPem: 'nope', algorithm: 'rsa-sha256' })).toThrow(
      /DKIM private key for shop.example cannot be read/,
    );
    expect(() =>
      signDkim(raw, { ...base, selector: 'a b', privateKeyPem: rsa.privateKeyPem, algorithm: 'rsa-sha256' }),
    ).toThrow('DKIM selector "a b" is not a valid selector');
    expect(() =>
      signDkim(Buffer.from('To: a@b.example\r\n\r\nhi\r\n'), {
        ...base,
        privateKeyPem: rsa.privateKeyPem,
        algorithm: 'rsa-sha256',
      }),
    ).toThrow('DKIM needs a From header to sign');
  });
});

describe('SmtpAdapter with dkimFor', () => {
  it('signs an Arabic message that a real SMTP server receives and that verifies from the received bytes', async () => {
    const sink = await startSmtpSink();
    const adapter = new SmtpAdapter({
      host: '127.0.0.1',
      port: sink.port,
      ignoreTLS: true,
      clock: () => DATE,
      dkimFor: (m) =>
        m.from.address.endsWith('@shop.example')
          ? {
              domain: 'shop.example',
              selector: 'wasl202611',
              privateKeyPem: rsa.privateKeyPem,
              algorithm: 'rsa-sha256',
            }
          : undefined,
    });
    try {
      const ctx = { signal: new AbortController().signal, commit: async () => undefined };
      const sent = await adapter.send(message(), ctx);
      expect(sent.ok).toBe(true);
      const other = await adapter.send(
        message({ messageId: 'm2@x', from: { address: 'a@other.example' } }),
        ctx,
      );
      expect(other.ok).toBe(true);
      expect(sink.received).toHaveLength(2);
      const [signed, unsigned] = sink.received;
      expect(verifyDkim(signed?.raw ?? Buffer.alloc(0), rsa.publicKeyBase64)).toMatchObject({
        ok: true,
        domain: 'shop.example',
      });
      expect(unsigned?.raw.toString('latin1')).not.toMatch(/DKIM-Signature/i);
      const parsed = await simpleParser(signed?.raw ?? Buffer.alloc(0));
      expect(parsed.subject).toBe('عرض خاص: خصم ٢٠٪ على كل المنتجات هذا الأسبوع فقط');
      expect(parsed.text?.trim()).toBe('مرحبا سارة');
    } finally {
      await adapter.close();
      await sink.close();
    }
  });

  it('reports a key that cannot sign as an invalid message, not a crash', async () => {
    const sink = await startSmtpSink();
    const adapter = new SmtpAdapter({
      host: '127.0.0.1',
      port: sink.port,
      ignoreTLS: true,
      dkimFor: () => ({ domain: 'shop.example', selector: 's', privateKeyPem: 'x', algorithm: 'rsa-sha256' }),
    });
    try {
      const sent = await adapter.send(message(), {
        signal: new AbortController().signal,
        commit: async () => undefined,
      });
      expect(sent).toMatchObject({ ok: false, retryable: false, code: 'invalid_message' });
      expect(sink.received).toHaveLength(0);
    } finally {
      await adapter.close();
      await sink.close();
    }
  });
});
