import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changeListMembers, createContact, createList } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const DAY = 86_400_000;
const N = 48;
const CITIES = Array.from({ length: 26 }, (_, i) => `مدينة ${String.fromCharCode(0x0627 + (i % 20))}${i}`);
const TAGS = Array.from({ length: 24 }, (_, i) => `tag${String(i).padStart(2, '0')}`);
/** Birth dates around the test's "today" (2026-01-15): every band, and a birthday tomorrow. */
const BIRTHS = [
  '2010-06-01',
  '2008-01-15',
  '2008-01-16',
  '1995-03-03',
  '1985-01-01',
  '1975-07-07',
  '1965-02-02',
  '1950-05-05',
  null,
];

interface Generated {
  email: string;
  birthDate: string | null;
  gender: 'female' | 'male' | null;
  country: string | null;
  city: string | null;
  incomeBand: string | null;
  interests: string[];
  source: string | null;
  lifecycleStage: 'lead' | 'mql' | 'customer' | null;
  /** Events by days ago: page views with a device, or anything else. */
  events: { daysAgo: number; device?: string; name?: string }[];
  viaAnonymousId: boolean;
}

/** A small deterministic generator: the same people every run. */
function generate(): Generated[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)] as T;
  return Array.from({ length: N }, (_, i) => {
    const events: Generated['events'] = [];
    if (i % 3 === 0) events.push({ daysAgo: 10, device: 'mobile' });
    if (i % 3 === 1) events.push({ daysAgo: 60, device: 'desktop' });
    if (i % 3 === 2) events.push({ daysAgo: 100, device: 'tablet' });
    if (i % 5 === 1) events.push({ daysAgo: 5, name: 'signup' });
    if (i % 7 === 0) events.push({ daysAgo: 40, device: 'desktop' }, { daysAgo: 45, device: 'desktop' });
    if (i % 11 === 5) events.push({ daysAgo: 20, device: 'mobile' });
    return {
      email: `p${String(i).padStart(2, '0')}@example.com`,
      birthDate: pick(BIRTHS),
      gender: pick(['female', 'male', null] as const),
      country: pick(['SA', 'AE', 'EG', null]),
      city: i < 30 ? (CITIES[i % 26] ?? null) : pick([...CITIES.slice(0, 4), null]),
      incomeBand: pick(['low', 'mid', 'high', null]),
      interests: TAGS.filter(() => next(4) === 0),
      source: pick(['ads', 'organic', 'referral', null]),
      lifecycleStage: pick(['lead', 'mql', 'customer', null] as const),
      events,
      viaAnonymousId: i % 4 === 0,
    };
  });
}

interface Bucket {
  value: string;
  count: number;
  share: number;
}

/** The expected analysis, written out plainly from the generated people. */
function expected(people: readonly Generated[]) {
  const n = people.length;
  const b = (value: string, count: number) => ({ value, count, share: n === 0 ? 0 : count / n });
  const count = (values: string[]) => {
    const m = new Map<string, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };
  const ranked = (values: (string | null)[], top = Infinity, other = true): Bucket[] => {
    const m = count(values.map((v) => v ?? 'unknown'));
    const unknown = m.get('unknown') ?? 0;
    m.delete('unknown');
    // Most frequent first, ties in code-unit order of the value.
    const sorted = [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const kept = sorted.slice(0, top);
    const out = kept.map(([v, c]) => b(v, c));
    const rest = sorted.slice(kept.length).reduce((s, [, c]) => s + c, 0);
    if (other && rest > 0) out.push(b('other', rest));
    if (unknown > 0) out.push(b('unknown', unknown));
    return out;
  };
  const fixed = (values: string[], order: string[]) => {
    const m = count(values);
    return order.map((v) => b(v, m.get(v) ?? 0));
  };
  const age = (d: string | null) => {
    if (!d) return 'unknown';
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const years = 2026 - y - (m > 1 || (m === 1 && day > 15) ? 1 : 0);
    if (years < 18) return 'under_18';
    if (years <= 24) return '18_24';
    if (years <= 34) return '25_34';
    if (years <= 44) return '35_44';
    if (years <= 54) return '45_54';
    if (years <= 64) return '55_64';
    return '65_plus';
  };
  const device = (p: Generated) => {
    const seen = p.events.filter((e) => e.device && e.daysAgo < 90);
    const tally = count(seen.map((e) => e.device ?? ''));
    const best = Math.max(0, ...tally.values());
    // Ties go to the type seen most recently.
    const recent = [...seen]
      .sort((x, y) => x.daysAgo - y.daysAgo)
      .find((e) => tally.get(e.device ?? '') === best);
    return recent?.device ?? 'unknown';
  };
  return {
    members: n,
    dimensions: {
      age: fixed(
        people.map((p) => age(p.birthDate)),
        ['under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus', 'unknown'],
      ),
      gender: ranked(people.map((p) => p.gender)),
      country: ranked(people.map((p) => p.country)),
      city: ranked(
        people.map((p) => p.city),
        20,
      ),
      income_band: ranked(people.map((p) => p.incomeBand)),
      interests: ranked(
        people.flatMap((p) => p.interests),
        20,
        false,
      ),
      device_type: ranked(people.map((p) => (device(p) === 'unknown' ? null : device(p)))),
      source: ranked(people.map((p) => p.source)),
      lifecycle_stage: fixed(
        people.map((p) => p.lifecycleStage ?? 'unknown'),
        ['subscriber', 'lead', 'mql', 'sql', 'customer', 'evangelist', 'unknown'],
      ),
      engagement: fixed(
        people.map((p) => (p.events.some((e) => e.daysAgo < 30) ? 'active' : 'dormant')),
        ['active', 'dormant'],
      ),
    },
  };
}

describeEachEngine('personas', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  const people = generate();
  const segmentOf: Record<'a' | 'b', { id: string; name: string; people: Generated[] }> = {
    a: { id: '', name: 'الشريحة أ', people: people.slice(0, 36) },
    b: { id: '', name: 'الشريحة ب', people: people.slice(20) },
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Personas');
    ws = crew.workspace.id;
    const ids: string[] = [];
    const events: WaslEvent[] = [];
    for (const [i, p] of people.entries()) {
      t.clock.now += 1;
      const made = await createContact(t.db, {
        workspaceId: ws,
        input: {
          email: p.email,
          birthDate: p.birthDate,
          gender: p.gender,
          country: p.country,
          city: p.city,
          incomeBand: p.incomeBand,
          interests: p.interests,
          source: p.source,
          lifecycleStage: p.lifecycleStage,
        },
        now: t.clock.now,
      });
      if (!made.ok) throw new Error(made.error.message);
      const id = made.value.contact.id;
      ids.push(id);
      if (p.viaAnonymousId) {
        await t.db
          .insertInto('contact_identities')
          .values({ workspace_id: ws, anonymous_id: `anon-${i}`, contact_id: id, created_at: t.clock.now })
          .execute();
      }
      for (const [k, e] of p.events.entries()) {
        const at = new Date(t.clock.now - e.daysAgo * DAY);
        events.push({
          id: `ev-${i}-${k}`,
          workspaceId: ws,
          type: e.device ? 'page' : 'track',
          name: e.name ?? '',
          anonymousId: p.viaAnonymousId ? `anon-${i}` : null,
          contactId: p.viaAnonymousId ? null : id,
          occurredAt: at,
          receivedAt: at,
          properties: {},
          context: e.device ? { path: '/', device: { type: e.device } } : {},
        });
      }
    }
    await t.events.append(events);
    t.audience.contactsChanged(ws, ids);
    await t.settled();
    for (const key of ['a', 'b'] as const) {
      const s = segmentOf[key];
      const list = await createList(t.db, { workspaceId: ws, name: s.name, now: t.clock.now });
      if (!list.ok) throw new Error(list.error.message);
      await changeListMembers(t.db, {
        workspaceId: ws,
        listId: list.value.id,
        contactIds: s.people.map((p) => ids[people.indexOf(p)] ?? ''),
        add: true,
        now: t.clock.now,
      });
      t.audience.listChanged(ws, list.value.id, []);
      await t.settled();
      const created = await call(t.app, 'POST', `/api/workspaces/${ws}/segments`, {
        as: crew.as.marketer,
        body: {
          name: s.name,
          definition: {
            root: { match: 'all', conditions: [{ kind: 'list', listId: list.value.id, member: true }] },
          },
        },
      });
      if (created.statusCode !== 201) throw new Error(created.body);
      s.id = created.json().segment.id;
      await t.segmentEngine.recompute(
        ws,
        await t.db.selectFrom('segments').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow(),
        false,
      );
    }
  });
  afterAll(() => t.close());

  const url = (id: string, query = '') => `/api/workspaces/${ws}/segments/${id}/personas${query}`;

  it('gives every distribution of a segment exactly, with counts and shares', async () => {
    const res = await call(t.app, 'GET', url(segmentOf.a.id), { as: crew.as.analyst });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      persona: { segmentId: segmentOf.a.id, name: segmentOf.a.name, ...expected(segmentOf.a.people) },
      compare: null,
    });
    // The generator does reach the cut-offs it is meant to test.
    const city = res.json().persona.dimensions.city as Bucket[];
    expect(city.map((c) => c.value).filter((v) => v !== 'other' && v !== 'unknown')).toHaveLength(20);
    expect(city.some((c) => c.value === 'other')).toBe(true);
  });

  it('compares two segments side by side', async () => {
    const res = await call(t.app, 'GET', url(segmentOf.a.id, `?compare=${segmentOf.b.id}`), {
      as: crew.as.analyst,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().compare).toEqual({
      segmentId: segmentOf.b.id,
      name: segmentOf.b.name,
      ...expected(segmentOf.b.people),
    });
    const missing = await call(t.app, 'GET', url(segmentOf.a.id, '?compare=nope'), { as: crew.as.analyst });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.field).toBe('compare');
  });

  it('exports every distribution as one CSV with a BOM', async () => {
    const res = await call(t.app, 'GET', url(segmentOf.b.id, '?format=csv'), { as: crew.as.analyst });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const dims = expected(segmentOf.b.people).dimensions;
    const lines = Object.entries(dims).flatMap(([d, buckets]) =>
      buckets.map((x) => `${d},${x.value},${x.count},${x.share}`),
    );
    expect(res.body).toBe(`\uFEFFdimension,value,count,share\r\n${lines.join('\r\n')}\r\n`);
  });

  it('refuses an unknown format, naming it', async () => {
    const res = await call(t.app, 'GET', url(segmentOf.a.id, '?format=xml'), { as: crew.as.analyst });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('format');
  });
});
