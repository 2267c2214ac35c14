import { createSign, createVerify } from 'node:crypto';
import { createSocket } from 'node:dgram';
import dns from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSenderDns, type TxtResolver } from '../src/services/dns-check.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

/** A zone: name → TXT records (each an array of character-strings), or 'nodata' / 'servfail'. */
type Zone = Map<string, string[][] | 'nodata' | 'servfail'>;

/**
 * A tiny authoritative DNS server over UDP (RFC 1035 §4): answers TXT
 * questions from the zone, NXDOMAIN for names it does not have, an empty
 * answer (NODATA) for 'nodata', SERVFAIL for 'servfail'.
 */
async function startDns(zone: Zone): Promise<{ server: string; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const labels: string[] = [];
    let at = 12;
    for (let len = query[at] ?? 0; len > 0; len = query[at] ?? 0) {
      labels.push(query.subarray(at + 1, at + 1 + len).toString('latin1'));
      at += len + 1;
    }
    const questionEnd = at + 5;
    const qtype = query.readUInt16BE(at + 1);
    const entry = zone.get(labels.join('.').toLowerCase());
    const rcode = entry === undefined ? 3 : entry === 'servfail' ? 2 : 0;
    const records = Array.isArray(entry) && qtype === 16 ? entry : [];
    const answers = records.map((strings) => {
      const rdata = Buffer.concat(
        strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])),
      );
      const head = Buffer.alloc(12);
      head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      head.writeUInt16BE(16, 2); // TXT
      head.writeUInt16BE(1, 4); // IN
      head.writeUInt32BE(60, 6);
      head.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([head, rdata]);
    });
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(
      Buffer.concat([header, query.subarray(12, questionEnd), ...answers]),
      peer.port,
      peer.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A stand-in for node's resolver: chunked TXT answers, and node's ENOTFOUND / ENODATA errors. */
function fakeResolver(zone: Zone): TxtResolver & { asked: string[] } {
  const asked: string[] = [];
  const fail = (code: string, name: string) =>
    Object.assign(new Error(`queryTxt ${code} ${name}`), { code, syscall: 'queryTxt', hostname: name });
  return {
    asked,
    async resolveTxt(name) {
      asked.push(name);
      const entry = zone.get(name);
      if (entry === undefined) throw fail('ENOTFOUND', name);
      if (entry === 'nodata') throw fail('ENODATA', name);
      if (entry === 'servfail') throw fail('ESERVFAIL', name);
      return entry;
    },
  };
}

/** A base64 key as long as a real 2048-bit one (392 characters), so it spans TXT strings. */
const KEY = `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${'x'.repeat(304)}QIDAQAB`;
const chunked = (text: string, size = 255) => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};
const input = {
  domain: 'shop.example',
  selector: 'wasl202611',
  publicKey: KEY,
  spfInclude: 'spf.wasl.example',
};

describe('checkSenderDns with a fake resolver', () => {
  it('accepts right records, the DKIM key split across TXT strings', async () => {
    const resolver = fakeResolver(
      new Map([
        ['shop.example', [['google-site-verification=abc'], ['v=spf1 include:spf.wasl.example -all']]],
        ['wasl202611._domainkey.shop.example', [chunked(`v=DKIM1; k=rsa; p=${KEY}`)]],
        ['_dmarc.shop.example', [['v=DMARC1; p=quarantine; ', 'rua=mailto:d@shop.example']]],
      ]),
    );
    const checked = await checkSenderDns(resolver, input);
    expect(checked).toEqual({
      ok: true,
      value: {
        domain: 'shop.example',
        asciiDomain: 'shop.example',
        ok: true,
        records: [
          {
            kind: 'spf',
            name: 'shop.example',
            type: 'TXT',
            expected: 'v=spf1 include:spf.wasl.example -all',
            found: ['v=spf1 include:spf.wasl.example -all'],
            ok: true,
            message: {
              en: 'The SPF record of shop.example is right',
              ar: 'سجل SPF للنطاق shop.example صحيح',
            },
          },
          {
            kind: 'dkim',
            name: 'wasl202611._domainkey.shop.example',
            type: 'TXT',
            expected: `v=DKIM1; k=rsa; p=${KEY}`,
            found: [`v=DKIM1; k=rsa; p=${KEY}`],
            ok: true,
            message: {
              en: 'The DKIM key at wasl202611._domainkey.shop.example is right',
              ar: 'مفتاح DKIM في wasl202611._domainkey.shop.example صحيح',
            },
          },
          {
            kind: 'dmarc',
            name: '_dmarc.shop.example',
            type: 'TXT',
            expected: 'v=DMARC1; p=quarantine; rua=mailto:d@shop.example',
            found: ['v=DMARC1; p=quarantine; rua=mailto:d@shop.example'],
            ok: true,
            message: {
              en: 'The DMARC record at _dmarc.shop.example is valid (p=quarantine)',
              ar: 'سجل DMARC في _dmarc.shop.example صالح (p=quarantine)',
            },
          },
        ],
      },
    });
  });

  it('says exactly what to add when nothing is published (ENOTFOUND and ENODATA)', async () => {
    const resolver = fakeResolver(new Map([['shop.example', 'nodata']]));
    const checked = await checkSenderDns(resolver, input);
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value.ok).toBe(false);
    expect(
      checked.value.records.map((r) => [r.kind, r.name, r.expected, r.found, r.ok, r.message.en]),
    ).toEqual([
      [
        'spf',
        'shop.example',
        'v=spf1 include:spf.wasl.example ~all',
        [],
        false,
        'shop.example has no SPF record; add a TXT record with v=spf1 include:spf.wasl.example ~all',
      ],
      [
        'dkim',
        'wasl202611._domainkey.shop.example',
        `v=DKIM1; k=rsa; p=${KEY}`,
        [],
        false,
        `No DKIM record at wasl202611._domainkey.shop.example; add a TXT record there with v=DKIM1; k=rsa; p=${KEY}`,
      ],
      [
        'dmarc',
        '_dmarc.shop.example',
        'v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example',
        [],
        false,
        'No DMARC record at _dmarc.shop.example; add a TXT record there with v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example',
      ],
    ]);
    expect(checked.value.records[0]?.message.ar).toBe(
      'لا يوجد سجل SPF للنطاق shop.example؛ أضف سجل TXT قيمته v=spf1 include:spf.wasl.example ~all',
    );
  });

  it('refuses two SPF records, merges a missing include into the one there, and advises "a mx" without an include', async () => {
    const two = await checkSenderDns(
      fakeResolver(
        new Map([['shop.example', [['v=spf1 mx ~all'], ['v=spf1 include:spf.wasl.example ~all']]]]),
      ),
      input,
    );
    expect(two.ok && two.value.records[0]).toMatchObject({
      ok: false,
      found: ['v=spf1 mx ~all', 'v=spf1 include:spf.wasl.example ~all'],
      message: {
        en: 'shop.example has 2 SPF records; a domain may have only one (RFC 7208): merge them into one',
      },
    });
    const lacking = await checkSenderDns(
      fakeResolver(new Map([['shop.example', [['v=spf1 include:_spf.google.com ~all']]]])),
      input,
    );
    expect(lacking.ok && lacking.value.records[0]).toMatchObject({
      ok: false,
      expected: 'v=spf1 include:spf.wasl.example include:_spf.google.com ~all',
    });
    const { spfInclude: _, ...noInclude } = input;
    const amx = await checkSenderDns(
      fakeResolver(new Map([['shop.example', [['v=spf1 +mx ~all']]]])),
      noInclude,
    );
    expect(amx.ok && amx.value.records[0]).toMatchObject({ ok: false, expected: 'v=spf1 a +mx ~all' });
    const right = await checkSenderDns(
      fakeResolver(new Map([['shop.example', [['v=spf1 mx a ~all']]]])),
      noInclude,
    );
    expect(right.ok && right.value.records[0]?.ok).toBe(true);
  });

  it('compares p= ignoring whitespace and quotes, and tells another key apart', async () => {
    const quoted = `v=DKIM1; k=rsa; p=${KEY.slice(0, 100)}" "${KEY.slice(100, 250)}  ${KEY.slice(250)}`;
    const withQuotes = await checkSenderDns(
      fakeResolver(new Map([['wasl202611._domainkey.shop.example', [[quoted]]]])),
      input,
    );
    expect(withQuotes.ok && withQuotes.value.records[1]?.ok).toBe(true);
    const other = await checkSenderDns(
      fakeResolver(
        new Map([['wasl202611._domainkey.shop.example', [[`v=DKIM1; k=rsa; p=${KEY.replace('x', 'y')}`]]]]),
      ),
      input,
    );
    expect(other.ok && other.value.records[1]).toMatchObject({
      ok: false,
      message: {
        en: expect.stringMatching(
          /^The DKIM record at wasl202611._domainkey.shop.example carries another key/,
        ),
      },
    });
  });

  it('refuses a DMARC record without a valid p= and more than one DMARC record', async () => {
    const bad = await checkSenderDns(
      fakeResolver(new Map([['_dmarc.shop.example', [['v=DMARC1; p=monitor']]]])),
      input,
    );
    expect(bad.ok && bad.value.records[2]).toMatchObject({
      ok: false,
      found: ['v=DMARC1; p=monitor'],
      expected: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example',
    });
    const two = await checkSenderDns(
      fakeResolver(new Map([['_dmarc.shop.example', [['v=DMARC1; p=none'], ['v=DMARC1; p=reject']]]])),
      input,
    );
    expect(two.ok && two.value.records[2]?.message.en).toBe(
      '_dmarc.shop.example has 2 DMARC records, so receivers ignore them all (RFC 7489); keep one',
    );
  });

  it('reports a failed lookup as a failure, not as a missing record', async () => {
    const checked = await checkSenderDns(fakeResolver(new Map([['shop.example', 'servfail']])), input);
    expect(checked.ok && checked.value.records[0]).toMatchObject({
      ok: false,
      found: [],
      message: { en: 'The DNS lookup of shop.example failed (ESERVFAIL); try again later.' },
    });
  });

  it('looks an Arabic domain up as punycode and keeps it as entered', async () => {
    const resolver = fakeResolver(new Map());
    const checked = await checkSenderDns(resolver, { ...input, domain: 'مثال.السعودية' });
    expect(checked.ok && [checked.value.domain, checked.value.asciiDomain]).toEqual([
      'مثال.السعودية',
      'xn--mgbh0fb.xn--mgberp4a5d4ar',
    ]);
    expect(resolver.asked.sort()).toEqual([
      '_dmarc.xn--mgbh0fb.xn--mgberp4a5d4ar',
      'wasl202611._domainkey.xn--mgbh0fb.xn--mgberp4a5d4ar',
      'xn--mgbh0fb.xn--mgberp4a5d4ar',
    ]);
    const bad = await checkSenderDns(resolver, { ...input, domain: 'localhost' });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid', message: '"localhost" is not a domain name', field: 'domain' },
    });
  });
});

describe("checkSenderDns with node's Resolver and a local DNS server", () => {
  it('reads multi-string TXT records, NXDOMAIN and NODATA as node reports them', async () => {
    const server = await startDns(
      new Map<string, string[][] | 'nodata'>([
        ['shop.example', [['v=spf1 include:spf.wasl.example ~all']]],
        ['wasl202611._domainkey.shop.example', [chunked(`v=DKIM1; k=rsa; p=${KEY}`)]],
        ['_dmarc.shop.example', 'nodata'],
      ]),
    );
    try {
      const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([server.server]);
      await expect(resolver.resolveTxt('_dmarc.shop.example')).rejects.toMatchObject({ code: 'ENODATA' });
      await expect(resolver.resolveTxt('nothing.shop.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      expect(await resolver.resolveTxt('wasl202611._domainkey.shop.example')).toEqual([
        chunked(`v=DKIM1; k=rsa; p=${KEY}`),
      ]);
      const checked = await checkSenderDns(resolver, input);
      expect(checked.ok && checked.value.records.map((r) => [r.kind, r.ok])).toEqual([
        ['spf', true],
        ['dkim', true],
        ['dmarc', false],
      ]);
    } finally {
      await server.close();
    }
  });
});

describeEachEngine('sender identities API', (engine) => {
  let t: TestApp;
  let crew: Team;
  let other: Team;
  let base: string;
  const zone: Zone = new Map();
  let dnsServer: Awaited<ReturnType<typeof startDns>>;
  const servers = dns.getServers();

  beforeAll(async () => {
    dnsServer = await startDns(zone);
    // The route uses the process's resolver: pointed at the local server for this test process.
    dns.setServers([dnsServer.server]);
    t = await startTestApp(engine);
    crew = await team(t, 'Senders');
    other = await team(t, 'Others');
    base = `/api/workspaces/${crew.workspace.id}/senders`;
  });
  afterAll(async () => {
    dns.setServers(servers);
    await t.close();
    await dnsServer.close();
  });

  it('creates a sender with a DKIM key whose private half is never answered', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { fromAddress: 'News@Shop.Example', fromName: 'متجر وصل', replyTo: 'help@shop.example' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toMatch(/PRIVATE|dkim_private|privateKey/i);
    const sender = created.json().sender;
    expect(sender).toMatchObject({
      fromAddress: 'news@shop.example',
      fromName: 'متجر وصل',
      replyTo: 'help@shop.example',
      domain: 'shop.example',
      asciiDomain: 'shop.example',
      dkim: {
        selector: 'wasl202601',
        algorithm: 'rsa-sha256',
        recordName: 'wasl202601._domainkey.shop.example',
        recordValue: `v=DKIM1; k=rsa; p=${sender.dkim.publicKey}`,
      },
      dns: null,
      createdAt: '2026-01-15T09:00:00.000Z',
    });
    // The stored private key pairs with the published public key.
    const row = await t.db
      .selectFrom('sender_identities')
      .select('dkim_private_key')
      .where('id', '=', sender.id)
      .executeTakeFirstOrThrow();
    const signature = createSign('sha256').update('وصل').sign(row.dkim_private_key);
    const publicKey = {
      key: Buffer.from(sender.dkim.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    } as const;
    expect(createVerify('sha256').update('وصل').verify(publicKey, signature)).toBe(true);
    expect(Buffer.from(sender.dkim.publicKey, 'base64').length).toBeGreaterThan(290);

    for (const path of [base, `${base}/${sender.id}`]) {
      const read = await call(t.app, 'GET', path, { as: crew.as.analyst });
      expect(read.statusCode).toBe(200);
      expect(read.body).not.toMatch(/PRIVATE|privateKey/i);
    }
    const again = await call(t.app, 'POST', base, {
      as: crew.as.owner,
      body: { fromAddress: 'news@shop.example' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'conflict', field: 'fromAddress' });
  });

  it('refuses bad addresses naming the field, and callers without workspace.update', async () => {
    const bad = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { fromAddress: 'not-an-address' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('fromAddress');
    const noDomain = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { fromAddress: 'a@localhost' },
    });
    expect(noDomain.statusCode).toBe(400);
    expect(noDomain.json().error.field).toBe('fromAddress');
    const marketer = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { fromAddress: 'm@shop.example' },
    });
    expect(marketer.statusCode).toBe(403);
  });

  it('checks DNS for an Arabic domain through the real resolver and keeps the result', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { fromAddress: 'akhbar@مثال.السعودية' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const sender = created.json().sender;
    expect([sender.domain, sender.asciiDomain]).toEqual(['مثال.السعودية', 'xn--mgbh0fb.xn--mgberp4a5d4ar']);
    zone.set('xn--mgbh0fb.xn--mgberp4a5d4ar', [['v=spf1 a mx ~all']]);
    zone.set(`wasl202601._domainkey.xn--mgbh0fb.xn--mgberp4a5d4ar`, [
      chunked(`v=DKIM1; k=rsa; p=${sender.dkim.publicKey}`),
    ]);

    t.clock.now += 60_000;
    const checked = await call(t.app, 'POST', `${base}/${sender.id}/check-dns`, { as: crew.as.admin });
    expect(checked.statusCode, checked.body).toBe(200);
    const dnsResult = checked.json().sender.dns;
    expect(dnsResult.ok).toBe(false);
    expect(dnsResult.checkedAt).toBe('2026-01-15T09:01:00.000Z');
    expect(dnsResult.records.map((r: { kind: string; ok: boolean }) => [r.kind, r.ok])).toEqual([
      ['spf', true],
      ['dkim', true],
      ['dmarc', false],
    ]);
    expect(dnsResult.records[2]).toMatchObject({
      name: '_dmarc.xn--mgbh0fb.xn--mgberp4a5d4ar',
      expected: 'v=DMARC1; p=none; rua=mailto:dmarc-reports@xn--mgbh0fb.xn--mgberp4a5d4ar',
      found: [],
    });

    zone.set('_dmarc.xn--mgbh0fb.xn--mgberp4a5d4ar', [['v=DMARC1; p=none']]);
    const again = await call(t.app, 'POST', `${base}/${sender.id}/check-dns`, { as: crew.as.owner });
    expect(again.json().sender.dns.ok).toBe(true);
    const stored = await call(t.app, 'GET', `${base}/${sender.id}`, { as: crew.as.analyst });
    expect(stored.json().sender.dns).toMatchObject({ ok: true, checkedAt: '2026-01-15T09:01:00.000Z' });
    expect(stored.json().sender.dns.records[0].message.ar).toBe(
      'سجل SPF للنطاق xn--mgbh0fb.xn--mgberp4a5d4ar صحيح',
    );
  });

  it('answers 404 to another workspace, and deletes', async () => {
    const id = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().senders[0].id;
    const otherBase = `/api/workspaces/${other.workspace.id}/senders`;
    for (const [method, path] of [
      ['GET', base],
      ['GET', `${base}/${id}`],
      ['DELETE', `${base}/${id}`],
      ['POST', `${base}/${id}/check-dns`],
    ] as const) {
      expect((await call(t.app, method, path, { as: other.as.owner })).statusCode, `${method} ${path}`).toBe(
        404,
      );
    }
    for (const [method, path] of [
      ['GET', `${otherBase}/${id}`],
      ['DELETE', `${otherBase}/${id}`],
      ['POST', `${otherBase}/${id}/check-dns`],
    ] as const) {
      const answer = await call(t.app, method, path, { as: other.as.owner });
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
      expect(answer.json().error.message).toBe('sender identity not found');
    }
    expect((await call(t.app, 'GET', otherBase, { as: other.as.owner })).json().senders).toEqual([]);

    const deleted = await call(t.app, 'DELETE', `${base}/${id}`, { as: crew.as.admin });
    expect(deleted.statusCode).toBe(204);
    expect((await call(t.app, 'GET', `${base}/${id}`, { as: crew.as.admin })).statusCode).toBe(404);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('workspace_id', '=', crew.workspace.id)
      .where('action', 'like', 'sender.%')
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['sender.created', 'sender.created', 'sender.deleted']);
  });
});
