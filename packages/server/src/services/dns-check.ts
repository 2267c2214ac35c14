/**
 * The DNS records a sender domain needs so that mail sent as it passes SPF,
 * DKIM and DMARC, and what its DNS has now: for each record the exact value to
 * publish, what was found, whether it is right, and a sentence in English and
 * Arabic. DNS is reached through an injected resolver (node:dns/promises'
 * `resolveTxt` shape); an Arabic (IDN) domain is looked up as punycode.
 */
// The default export, not a namespace import: only its setServers changes the resolver its resolveTxt uses.
import dns from 'node:dns/promises';
import { domainToASCII } from 'node:url';
import { err, ok, problem, type Result } from '@wasl/core';

/** The part of node's DNS resolver the check uses: TXT records as arrays of their character-strings. */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

/** The process's resolver (the system's DNS servers, or those set with dns.setServers). */
export const systemResolver: TxtResolver = { resolveTxt: (name) => dns.resolveTxt(name) };

export interface Sentence {
  en: string;
  ar: string;
}

export interface DnsRecordCheck {
  kind: 'spf' | 'dkim' | 'dmarc';
  /** The name to publish the record at, in punycode. */
  name: string;
  type: 'TXT';
  /** The record to publish (for SPF and DMARC: a suggestion that keeps what is there). */
  expected: string;
  /** The matching TXT records found at the name, each with its strings joined. */
  found: string[];
  ok: boolean;
  message: Sentence;
}

export interface DnsCheck {
  /** The domain as entered (an Arabic domain stays Arabic). */
  domain: string;
  /** The domain in punycode, as DNS knows it. */
  asciiDomain: string;
  ok: boolean;
  records: DnsRecordCheck[];
}

export interface DnsCheckInput {
  domain: string;
  selector: string;
  /** The DKIM public key (base64) the p= tag must carry. */
  publicKey: string;
  /** The SPF include of the sending service (e.g. "spf.wasl.example"); without it the advice is "a mx". */
  spfInclude?: string;
  /** Where DMARC aggregate reports go; dmarc-reports@<domain> when absent. */
  dmarcReportAddress?: string;
}

type Lookup = { ok: true; records: string[] } | { ok: false; reason: string };

/** TXT records at a name; a name or record type that does not exist is an empty answer, not a failure. */
async function lookup(resolver: TxtResolver, name: string): Promise<Lookup> {
  try {
    return { ok: true, records: (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { ok: true, records: [] };
    return { ok: false, reason: code ?? (error as Error).message };
  }
}

const failed = (
  kind: DnsRecordCheck['kind'],
  name: string,
  expected: string,
  reason: string,
): DnsRecordCheck => ({
  kind,
  name,
  type: 'TXT',
  expected,
  found: [],
  ok: false,
  message: {
    en: `The DNS lookup of ${name} failed (${reason}); try again later.`,
    ar: `تعذّر الاستعلام عن ${name} في DNS (${reason})؛ حاول لاحقًا.`,
  },
});

const isSpf = (record: string) => /^v=spf1(\s|$)/i.test(record.trim());

/** Mechanisms without their "+" qualifier, lower-case. */
const spfTerms = (record: string) =>
  record
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((t) => t.replace(/^\+/, '').toLowerCase());

function checkSpf(domain: string, found: string[], include: string | undefined): DnsRecordCheck {
  const wanted = include === undefined ? ['a', 'mx'] : [`include:${include.toLowerCase()}`];
  const fresh = `v=spf1 ${wanted.join(' ')} ~all`;
  const spf = found.filter(isSpf);
  const base = { kind: 'spf' as const, name: domain, type: 'TXT' as const, found: spf };
  const [only] = spf;
  if (only === undefined) {
    return {
      ...base,
      expected: fresh,
      ok: false,
      message: {
        en: `${domain} has no SPF record; add a TXT record with ${fresh}`,
        ar: `لا يوجد سجل SPF للنطاق ${domain}؛ أضف سجل TXT قيمته ${fresh}`,
      },
    };
  }
  if (spf.length > 1) {
    return {
      ...base,
      expected: fresh,
      ok: false,
      message: {
        en: `${domain} has ${spf.length} SPF records; a domain may have only one (RFC 7208): merge them into one`,
        ar: `للنطاق ${domain} ${spf.length} سجلات SPF، والمسموح سجل واحد فقط (RFC 7208): ادمجها في سجل واحد`,
      },
    };
  }
  const terms = spfTerms(only);
  const missing = wanted.filter((w) => !terms.includes(w));
  if (missing.length === 0) {
    return {
      ...base,
      expected: only.trim(),
      ok: true,
      message: { en: `The SPF record of ${domain} is right`, ar: `سجل SPF للنطاق ${domain} صحيح` },
    };
  }
  const [version = 'v=spf1', ...rest] = only.trim().split(/\s+/);
  const expected = [version, ...missing, ...rest].join(' ');
  return {
    ...base,
    expected,
    ok: false,
    message: {
      en: `The SPF record of ${domain} lacks ${missing.join(' ')}; change it to ${expected}`,
      ar: `سجل SPF للنطاق ${domain} ينقصه ${missing.join(' ')}؛ غيّره إلى ${expected}`,
    },
  };
}

/** The tags of a DKIM or DMARC record, names lower-case, values with whitespace and stray quotes removed. */
function tagsOf(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    tags.set(part.slice(0, eq).replace(/[\s"]/g, '').toLowerCase(), part.slice(eq + 1).replace(/[\s"]/g, ''));
  }
  return tags;
}

function checkDkim(name: string, found: string[], publicKey: string): DnsRecordCheck {
  const expected = `v=DKIM1; k=rsa; p=${publicKey}`;
  const base = { kind: 'dkim' as const, name, type: 'TXT' as const, expected, found };
  const right = found.some((r) => {
    const tags = tagsOf(r);
    return tags.get('p') === publicKey && (tags.get('k') ?? 'rsa').toLowerCase() === 'rsa';
  });
  if (right) {
    return {
      ...base,
      ok: true,
      message: { en: `The DKIM key at ${name} is right`, ar: `مفتاح DKIM في ${name} صحيح` },
    };
  }
  if (found.length === 0) {
    return {
      ...base,
      ok: false,
      message: {
        en: `No DKIM record at ${name}; add a TXT record there with ${expected}`,
        ar: `لا يوجد سجل DKIM في ${name}؛ أضف هناك سجل TXT قيمته ${expected}`,
      },
    };
  }
  return {
    ...base,
    ok: false,
    message: {
      en: `The DKIM record at ${name} carries another key; replace it with ${expected}`,
      ar: `سجل DKIM في ${name} يحمل مفتاحًا آخر؛ استبدل به ${expected}`,
    },
  };
}

const DMARC_POLICIES = ['none', 'quarantine', 'reject'];

function checkDmarc(name: string, found: string[], reportAddress: string): DnsRecordCheck {
  const dmarc = found.filter((r) => /^v\s*=\s*DMARC1\s*(;|$)/i.test(r.trim()));
  const fresh = `v=DMARC1; p=none; rua=mailto:${reportAddress}`;
  const base = { kind: 'dmarc' as const, name, type: 'TXT' as const, found: dmarc };
  const [only] = dmarc;
  if (only === undefined) {
    return {
      ...base,
      expected: fresh,
      ok: false,
      message: {
        en: `No DMARC record at ${name}; add a TXT record there with ${fresh}`,
        ar: `لا يوجد سجل DMARC في ${name}؛ أضف هناك سجل TXT قيمته ${fresh}`,
      },
    };
  }
  if (dmarc.length > 1) {
    return {
      ...base,
      expected: fresh,
      ok: false,
      message: {
        en: `${name} has ${dmarc.length} DMARC records, so receivers ignore them all (RFC 7489); keep one`,
        ar: `في ${name} ${dmarc.length} سجلات DMARC، فيتجاهلها المستلمون كلها (RFC 7489)؛ أبقِ سجلًا واحدًا`,
      },
    };
  }
  const policy = tagsOf(only).get('p')?.toLowerCase();
  if (policy === undefined || !DMARC_POLICIES.includes(policy)) {
    return {
      ...base,
      expected: fresh,
      ok: false,
      message: {
        en: `The DMARC record at ${name} has no valid p= (none, quarantine or reject); use ${fresh}`,
        ar: `سجل DMARC في ${name} ليس فيه p= صالح (none أو quarantine أو reject)؛ استخدم ${fresh}`,
      },
    };
  }
  return {
    ...base,
    expected: only.trim(),
    ok: true,
    message: {
      en: `The DMARC record at ${name} is valid (p=${policy})`,
      ar: `سجل DMARC في ${name} صالح (p=${policy})`,
    },
  };
}

/** Looks up the three records and judges them; a domain that is not a domain name is a problem. */
export async function checkSenderDns(resolver: TxtResolver, input: DnsCheckInput): Promise<Result<DnsCheck>> {
  const ascii = domainToASCII(input.domain);
  if (ascii === '' || !ascii.includes('.')) {
    return err(problem('invalid', `"${input.domain}" is not a domain name`, 'domain'));
  }
  const dkimName = `${input.selector}._domainkey.${ascii}`;
  const dmarcName = `_dmarc.${ascii}`;
  const [spf, dkim, dmarc] = await Promise.all([
    lookup(resolver, ascii),
    lookup(resolver, dkimName),
    lookup(resolver, dmarcName),
  ]);
  const spfAdvice = `v=spf1 ${input.spfInclude === undefined ? 'a mx' : `include:${input.spfInclude}`} ~all`;
  const rua = input.dmarcReportAddress ?? `dmarc-reports@${ascii}`;
  const records = [
    spf.ok ? checkSpf(ascii, spf.records, input.spfInclude) : failed('spf', ascii, spfAdvice, spf.reason),
    dkim.ok
      ? checkDkim(dkimName, dkim.records, input.publicKey)
      : failed('dkim', dkimName, `v=DKIM1; k=rsa; p=${input.publicKey}`, dkim.reason),
    dmarc.ok
      ? checkDmarc(dmarcName, dmarc.records, rua)
      : failed('dmarc', dmarcName, `v=DMARC1; p=none; rua=mailto:${rua}`, dmarc.reason),
  ];
  return ok({ domain: input.domain, asciiDomain: ascii, ok: records.every((r) => r.ok), records });
}
