import type { Interval } from '@wasl/core';
import type { Bucketing, Dialect, VisitsSpec } from './dialect.ts';
import { NUMBER_PATTERN } from './number-pattern.ts';

const filtered = (aggregate: string, filter: string | undefined) =>
  filter === undefined ? aggregate : `${aggregate} filter (where ${filter})`;

const LABEL: Record<Interval, string> = {
  hour: `'YYYY-MM-DD"T"HH24'`,
  day: `'YYYY-MM-DD'`,
  week: `'YYYY-MM-DD'`,
  month: `'YYYY-MM-DD'`,
};

/**
 * PostgreSQL: a visit's first-event columns come from DISTINCT ON (one sort
 * of the scope's events by visit and time; by bytes, which sorts faster than
 * a locale's collation: measured 1.3 s against 2.1 s for 560,000 events)
 * joined to the visit's aggregates; time zones are native and cheap.
 */
export const postgresDialect: Dialect = {
  name: 'postgres',

  visits(spec: VisitsSpec): string {
    const fields = Object.entries(spec.first);
    const pages = spec.pages
      ? [
          `(array_agg(path order by occurred_at, id) filter (where type = 'page'))[1] as entry_page`,
          `(array_agg(path order by occurred_at desc, id desc) filter (where type = 'page'))[1] as exit_page`,
        ]
      : [];
    const visits = `select ${['session_id', ...spec.aggregates, ...pages].join(',\n  ')}
from ev group by session_id having ${spec.having}`;
    if (fields.length === 0) return visits;
    return `select a.*, ${fields.map(([name]) => `f.${name}`).join(', ')}
from (${visits}) a
join (select distinct on (session_id collate "C") session_id, ${fields.map(([name, expr]) => `${expr} as ${name}`).join(', ')}
  from ev order by session_id collate "C", occurred_at, id) f on f.session_id = a.session_id`;
  },

  isPageOrTrack: (type) => `${type} in ('page', 'track')`,
  firstBy: (value, order, filter) =>
    `(${filtered(`array_agg(${value} order by ${order.join(', ')})`, filter)})[1]`,
  lastBy: (value, order, filter) =>
    `(${filtered(`array_agg(${value} order by ${order.map((o) => `${o} desc`).join(', ')})`, filter)})[1]`,
  epochMs: (time) => `cast(extract(epoch from ${time}) * 1000 as bigint)`,
  property: (params, name) => `(properties ->> ${params.text(name)})`,
  number: (text) => `(case when ${text} ~ '^${NUMBER_PATTERN}$' then cast(${text} as double precision) end)`,
  exact: (number) => `(case when abs(${number}) < 1e15 then cast(${number} as numeric) end)`,
  isCurrencyCode: (text) => `(${text} ~ '^[A-Za-z]{3}$')`,
  byteOrder: (text) => `(${text}) collate "C"`,

  bucket(params, time, interval, zone): Bucketing {
    const key = `date_trunc('${interval}', ${time.ts} at time zone ${params.text(zone.timeZone)})`;
    return { key, label: (k) => `to_char(${k}, ${LABEL[interval]})` };
  },
};
