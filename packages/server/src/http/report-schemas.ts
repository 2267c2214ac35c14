import { BREAKDOWNS, DIMENSIONS, GoalDefinitionSchema } from '@wasl/core';
import { z } from 'zod';
import { CtrDefinitionSchema, FunnelDefinitionSchema } from '../services/report-definitions.ts';
import { FILTER_OPERATORS, MAX_HOURLY_DAYS, MAX_PERIOD_DAYS } from '../services/report-query.ts';
import { MAX_EXPORT_ROWS, MAX_PAGE_ROWS } from '../services/reports.ts';
import { IsoTime, Name, TimeZone } from './schemas.ts';

/**
 * Request and response schemas of the reports, saved definitions and share
 * links: one value each, validating requests and naming the types in the
 * OpenAPI document. Rates are fractions in [0, 1]; durations milliseconds.
 */

const Fraction = z.number().meta({ description: 'A fraction in [0, 1]' });
const Ms = z.number().meta({ description: 'Milliseconds' });
const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const FILTER_DESCRIPTION =
  `Repeat for each condition: \`filter=dimension:operator:value\`, split at the first two colons ` +
  `(the value may hold colons and any script; URL-encode it). Dimensions: ${DIMENSIONS.join(', ')}. ` +
  `Operators: ${FILTER_OPERATORS.join(', ')} (is: exact, case-sensitive; contains: case-insensitive). ` +
  'Filters on the same dimension and operator are alternatives (OR); different ones must all hold (AND). ' +
  'An empty value with is/is_not means "unknown" (e.g. `referrer:is:` for direct visits).';

/** Query parameters every period report takes. */
export const PeriodParams = {
  from: DateText.optional().meta({ description: 'First day, YYYY-MM-DD (default: 29 days before `to`)' }),
  to: DateText.optional().meta({
    description: 'Last day, included, YYYY-MM-DD (default: today in `timeZone`)',
  }),
  timeZone: TimeZone.optional().meta({ description: "IANA time zone of the days (default: the site's)" }),
  compare: z
    .enum(['previous'])
    .optional()
    .meta({ description: 'Also report the same number of days just before the period' }),
  filter: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .meta({ description: FILTER_DESCRIPTION, example: 'country:is:SA' }),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .meta({ description: 'csv: UTF-8 with a byte order mark, header row, RFC 4180 quoting' }),
};

export const PeriodQuery = z.strictObject(PeriodParams);
export const TimeseriesQuery = z.strictObject({
  ...PeriodParams,
  interval: z
    .enum(['hour', 'day', 'week', 'month'])
    .optional()
    .meta({
      description: `Bucket size (default: hour for one day, day up to 92 days, week up to 366, else month); hour covers at most ${MAX_HOURLY_DAYS} days`,
    }),
});
export const BreakdownQuery = z.strictObject({
  ...PeriodParams,
  by: z.enum(BREAKDOWNS).default('page').meta({ description: 'The dimension rows are grouped by' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_ROWS)
    .optional()
    .meta({
      description: `Rows per page: 1–${MAX_PAGE_ROWS} (default 10). With format=csv and no limit, every row (up to ${MAX_EXPORT_ROWS}).`,
    }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const RealtimeQuery = z.strictObject({ format: PeriodParams.format });

export const PeriodDto = z.object({ from: z.string(), to: z.string(), timeZone: z.string() }).meta({
  id: 'ReportPeriod',
  description: `Days in the time zone, both ends included; at most ${MAX_PERIOD_DAYS}`,
});
export const FilterDto = z
  .object({ dimension: z.enum(DIMENSIONS), op: z.enum(FILTER_OPERATORS), values: z.array(z.string()) })
  .meta({ id: 'ReportFilter' });

export const SummaryDto = z
  .object({
    visits: z.number(),
    visitors: z.number(),
    pageviews: z.number(),
    newVisitors: z.number(),
    returningVisitors: z.number(),
    viewsPerVisit: z.number(),
    bounceRate: Fraction,
    avgVisitDurationMs: Ms,
    avgEngagedMs: Ms,
    bots: z
      .number()
      .meta({ description: 'Bot events in the period (unfiltered), never part of other numbers' }),
    identity: z.object({ cookieless: z.number(), consent: z.number() }),
  })
  .meta({ id: 'Summary' });

export const TimeseriesPointDto = z
  .object({ bucket: z.string(), visits: z.number(), visitors: z.number(), pageviews: z.number() })
  .meta({ id: 'TimeseriesPoint' });

export const BreakdownRowDto = z
  .object({
    value: z.string().meta({ description: "'' when unknown (e.g. direct visits have no referrer)" }),
    visitors: z.number(),
    visits: z.number(),
    pageviews: z.number(),
    bounceRate: Fraction,
    avgEngagedMs: Ms,
    events: z.number(),
  })
  .meta({ id: 'BreakdownRow' });

export const GoalResultDto = z
  .object({
    visitors: z.number(),
    conversions: z.number(),
    conversionRate: Fraction,
    revenue: z.record(z.string(), z.number()).meta({ description: 'Per ISO 4217 currency' }),
  })
  .meta({ id: 'GoalResult' });

export const CtrResultDto = z
  .object({
    impressions: z.number(),
    clicks: z.number(),
    ctr: Fraction,
    uniqueImpressions: z.number(),
    uniqueClicks: z.number(),
  })
  .meta({ id: 'CtrResult' });

export const FunnelStepResultDto = z
  .object({ visitors: z.number(), dropOff: z.number(), conversionRate: Fraction })
  .meta({ id: 'FunnelStepResult' });

export const RetentionCohortDto = z
  .object({ week: z.string(), visitors: z.number(), retained: z.array(z.number()) })
  .meta({ id: 'RetentionCohort' });

const Ranked = z.object({ value: z.string(), visitors: z.number() });
export const RealtimeDto = z
  .object({
    visitorsNow: z.number(),
    pageviewsPerMinute: z.array(z.number()).meta({ description: 'Last 30 minutes, oldest first' }),
    topPages: z.array(Ranked),
    topSources: z.array(Ranked),
  })
  .meta({ id: 'Realtime' });

const savedDto = <D extends z.ZodType>(id: string, definition: D) =>
  z
    .object({
      id: z.string(),
      siteId: z.string(),
      name: z.string(),
      definition,
      createdAt: IsoTime,
      updatedAt: IsoTime,
    })
    .meta({ id });

export const GoalDto = savedDto('Goal', GoalDefinitionSchema);
export const FunnelDto = savedDto('Funnel', FunnelDefinitionSchema);
export const CtaDto = savedDto('Cta', CtrDefinitionSchema);

export const NewGoalBody = z.strictObject({ name: Name, definition: GoalDefinitionSchema });
export const GoalChanges = z.strictObject({
  name: Name.optional(),
  definition: GoalDefinitionSchema.optional(),
});
export const NewFunnelBody = z.strictObject({ name: Name, definition: FunnelDefinitionSchema });
export const FunnelChanges = z.strictObject({
  name: Name.optional(),
  definition: FunnelDefinitionSchema.optional(),
});
export const NewCtaBody = z.strictObject({ name: Name, definition: CtrDefinitionSchema });
export const CtaChanges = z.strictObject({
  name: Name.optional(),
  definition: CtrDefinitionSchema.optional(),
});

export const ShareLinkDto = z
  .object({
    id: z.string(),
    siteId: z.string(),
    prefix: z.string().meta({ description: 'First characters of the token, to tell links apart' }),
    createdBy: z.string().nullable(),
    createdAt: IsoTime,
    revokedAt: IsoTime.nullable(),
  })
  .meta({ id: 'ShareLink' });

export const SharedSiteDto = z
  .object({ name: z.string(), domain: z.string(), timezone: z.string() })
  .meta({ id: 'SharedSite', description: 'What a share link reveals about its site' });

export const CsvText = z.string().meta({ description: 'CSV, UTF-8 with a byte order mark' });
