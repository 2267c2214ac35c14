import type { Interval } from '@wasl/core';
import type { Bucketing, Dialect } from './dialect.ts';
import { NUMBER_PATTERN } from './number-pattern.ts';

const filtered = (aggregate: string, filter: string | undefined) =>
  filter === undefined ? aggregate : `${aggregate} filter (where ${filter})`;

const LABEL: Record<Interval, string> = {
  hour: `'YYYY-MM-DD"T"HH24'`,
  day: `'YYYY-MM-DD'`,
  week: `'YYYY-MM-DD'`,
  month: `'YYYY-MM-DD'`,
};

/** PostgreSQL: time zones are native and cheap; text sorts by bytes (`collate "C"`) where order matters. */
export const postgresDialect: Dialect = {
  name: 'postgres',

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
