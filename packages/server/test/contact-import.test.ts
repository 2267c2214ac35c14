import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const FIRST = ['محمد', 'فاطمة', 'أحمد', 'نورة', 'Omar', 'Sara', 'خالد', 'ريم'];
const CITIES = ['الرياض', 'جدة', 'القاهرة', 'دبي', 'عمّان'];

interface Generated {
  csv: string;
  valid: number;
  bad: { line: number; column: string }[];
}

/**
 * A CSV with Arabic headers and names; every 97th row has a bad email and
 * every 89th a bad phone (a row with both counts once), so the expected
 * counts follow from the row numbers alone.
 */
function generate(rows: number, domain: string, phoneBase: number): Generated {
  const lines = ['البريد الإلكتروني,الاسم الأول,المدينة,الجوال,budget'];
  const bad: { line: number; column: string }[] = [];
  let valid = 0;
  for (let i = 1; i <= rows; i++) {
    const line = i + 1;
    const badEmail = i % 97 === 0;
    const badPhone = i % 89 === 0;
    const email = badEmail ? `person${i}-at-${domain}` : `person${i}@${domain}`;
    const phone = badPhone ? '12' : `05${String(phoneBase + i).padStart(8, '0')}`;
    if (badEmail) bad.push({ line, column: 'البريد الإلكتروني' });
    if (badPhone) bad.push({ line, column: 'الجوال' });
    if (!badEmail && !badPhone) valid += 1;
    lines.push(`${email},${FIRST[i % FIRST.length]},${CITIES[i % CITIES.length]},${phone},${i % 1000}`);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, valid, bad };
}

describeEachEngine('contact import', (engine) => {
  let t: TestApp;
  let crew: Team;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Import');
    await call(t.app, 'PATCH', `/api/workspaces/${crew.workspace.id}`, {
      as: crew.as.owner,
      body: { timezone: 'Asia/Riyadh' },
    });
    await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/attributes`, {
      as: crew.as.owner,
      body: { key: 'budget', label: 'Budget', type: 'number' },
    });
    base = `/api/workspaces/${crew.workspace.id}/contact-imports`;
  });
  afterAll(() => t.close());

  async function upload(csv: string | Buffer, query = '') {
    const res = await call(t.app, 'POST', `${base}?fileName=people.csv${query}`, {
      as: crew.as.marketer,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(202);
    const id: string = res.json().import.id;
    for (let i = 0; i < 400; i++) {
      const got = (await call(t.app, 'GET', `${base}/${id}`, { as: crew.as.analyst })).json().import;
      if (got.status !== 'running') return got;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`import ${id} still running`);
  }

  it('previews how a file reads: encoding, delimiter, mapping from Arabic headers, first rows and their problems', async () => {
    const { csv } = generate(120, 'preview.example', 10_000_000);
    const res = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.marketer,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      headers: ['البريد الإلكتروني', 'الاسم الأول', 'المدينة', 'الجوال', 'budget'],
      mapping: {
        'البريد الإلكتروني': 'email',
        'الاسم الأول': 'first_name',
        المدينة: 'city',
        الجوال: 'phone',
        budget: 'attributes.budget',
      },
      remembered: false,
    });
    expect(preview.sample[0]).toEqual({
      line: 2,
      contact: expect.objectContaining({
        email: 'person1@preview.example',
        firstName: 'فاطمة',
        city: 'جدة',
        phone: '+966510000001',
        attributes: { budget: 1 },
      }),
    });
  });

  it('imports every good row, reports each bad one by line and column, and counts exactly', async () => {
    const rows = 2500;
    const { csv, valid, bad } = generate(rows, 'shop.example', 10_000_000);
    const done = await upload(csv);
    const badLines = new Set(bad.map((b) => b.line));
    expect(done).toMatchObject({
      status: 'done',
      rowsRead: rows,
      inserted: valid,
      updated: 0,
      skipped: 0,
      failed: badLines.size,
      bytesRead: Buffer.byteLength(csv),
      bytesTotal: Buffer.byteLength(csv),
      error: null,
    });
    expect(done.summary).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    const problems = (
      await call(t.app, 'GET', `${base}/${done.id}/errors?limit=200`, { as: crew.as.analyst })
    )
      .json()
      .errors.filter((p: { warning: boolean }) => !p.warning);
    expect(problems.map((p: { line: number; column: string }) => [p.line, p.column])).toEqual(
      bad.map((b) => [b.line, b.column]),
    );
    const contacts = await t.db
      .selectFrom('contacts')
      .select(['email', 'phone', 'first_name', 'city', 'attributes'])
      .where('workspace_id', '=', crew.workspace.id)
      .where('email', '=', 'person5@shop.example')
      .executeTakeFirstOrThrow();
    expect(contacts).toEqual({
      email: 'person5@shop.example',
      phone: '+966510000005',
      first_name: FIRST[5],
      city: CITIES[0],
      attributes: JSON.stringify({ budget: 5 }),
    });
    const csvErrors = await call(t.app, 'GET', `${base}/${done.id}/errors?format=csv`, {
      as: crew.as.analyst,
    });
    expect(csvErrors.headers['content-type']).toContain('text/csv');
    expect(csvErrors.body.startsWith('\uFEFFline,column,value,reason,kind\r\n')).toBe(true);
    expect(csvErrors.body).toContain('\r\n98,البريد الإلكتروني,person97-at-shop.example,');
    expect(csvErrors.body).toContain('\r\n90,الجوال,12,');
  });

  it('updates on a second import, skips under insert_only, and remembers the column mapping', async () => {
    const { csv, valid } = generate(300, 'again.example', 30_000_000);
    const first = await upload(csv);
    expect(first, JSON.stringify(first)).toMatchObject({ status: 'done', inserted: valid });
    const second = await upload(csv.replaceAll('الرياض', 'مكة'));
    expect(second).toMatchObject({ status: 'done', inserted: 0, updated: valid });
    const city = await t.db
      .selectFrom('contacts')
      .select('city')
      .where('workspace_id', '=', crew.workspace.id)
      .where('email', '=', 'person5@again.example')
      .executeTakeFirstOrThrow();
    expect(city.city).toBe('مكة');
    const third = await upload(csv, '&policy=insert_only');
    expect(third).toMatchObject({ inserted: 0, updated: 0, skipped: valid });
    const preview = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.marketer,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(preview.json().remembered).toBe(true);
  });

  it("reads Excel's UTF-16 tab-separated export", async () => {
    const text = '\uFEFFemail\tfirst_name\tcity\r\nutf16@example.com\tعبدالله\tالدوحة\r\n';
    const done = await upload(Buffer.from(text, 'utf16le'));
    expect(done).toMatchObject({ status: 'done', inserted: 1, failed: 0 });
    expect(done.summary).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    const row = await t.db
      .selectFrom('contacts')
      .select(['first_name', 'city'])
      .where('workspace_id', '=', crew.workspace.id)
      .where('email', '=', 'utf16@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ first_name: 'عبدالله', city: 'الدوحة' });
  });

  it('answers one clear message for a file that is not a CSV, and records the import as failed', async () => {
    // The start of a real .xlsx: a ZIP whose first entry is [Content_Types].xml.
    const xlsx = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      Buffer.alloc(22, 0),
      Buffer.from('[Content_Types].xml'),
      Buffer.alloc(200, 7),
    ]);
    const preview = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.marketer,
      body: xlsx,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().error.message).toMatch(/Excel/);
    const done = await upload(xlsx);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/Excel/);
    expect(done.inserted).toBe(0);
  });

  it('refuses a mapping that is not a JSON object, naming the parameter', async () => {
    const res = await call(t.app, 'POST', `${base}?mapping=${encodeURIComponent('[1,2]')}`, {
      as: crew.as.marketer,
      body: 'email\na@example.com\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('mapping');
  });
});
