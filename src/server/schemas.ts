/**
 * The API's schemas (zod): the handlers validate their input with them, and the
 * OpenAPI 3.1 document is generated from the same objects, so the two cannot drift.
 */
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string(),
      message: z.string(),
      hint: z.string(),
    }),
  })
  .openapi('Error');

const CountyRef = z
  .object({ fips: z.string().regex(/^\d{5}$/), name: z.string(), state: z.string() })
  .openapi('CountyRef');
const Activity = z.object({ description: z.string(), kind: z.enum(['conviction', 'charge', 'pending']) });

export const ReportSchema = z
  .object({
    schema: z.literal('ddor.report/v1'),
    title: z.string(),
    demo: z.boolean(),
    period: z.object({ start: z.string(), end: z.string(), kind: z.enum(['week', 'quarter', 'range']) }),
    decline_basis: z.enum(['recorded', 'issued']),
    top: z.number().int(),
    totals: z.object({
      detainers_issued: z.number().int(),
      declined: z.number().int(),
      jurisdictions_with_declines: z.number().int(),
      states_with_declines: z.number().int(),
      facilities_with_declines: z.number().int(),
    }),
    section1: z.array(
      z.object({ rank: z.number().int(), county: CountyRef, detainers_issued: z.number().int() }),
    ),
    section2: z.array(
      z.object({
        county: CountyRef,
        facility: z.string(),
        declines: z.array(
          z.object({
            citizenship: z.string().nullable(),
            issued_date: z.string(),
            declined_date: z.string().nullable(),
            recorded_date: z.string().nullable(),
            criminal_activity: z.array(Activity),
            lift_reason: z.string().nullable(),
            received_by: z.string().nullable(),
          }),
        ),
      }),
    ),
    section3: z.array(
      z.object({
        policy_id: z.string(),
        level: z.string(),
        jurisdiction: z.string(),
        state: z.string(),
        county_fips: z.string().nullable(),
        aor: z.string().nullable(),
        type: z.string(),
        title: z.string(),
        enacted_date: z.string(),
        rescinded_date: z.string().nullable(),
        criteria: z.string().nullable(),
        restricts: z.array(z.string()),
        source_url: z.string().nullable(),
      }),
    ),
    section4: z.object({
      notes: z.array(z.string()),
      figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
    }),
    edition: z
      .object({
        number: z.number().int(),
        published_at: z.string(),
        content_sha256: z.string(),
        note: z.string().nullable(),
        errata: z.string().nullable(),
        supersedes: z.number().int().nullable(),
        changes: z.unknown(),
      })
      .nullable(),
  })
  .openapi('Report');

export const EditionQuery = z.object({
  edition: z
    .string()
    .regex(/^(draft|[1-9]\d*)$/, 'an edition number or "draft"')
    .optional()
    .openapi({
      description:
        'An edition number, or "draft" for the current data. Default: the latest edition, else the current data.',
    }),
  section: z
    .enum(['1', '2', '3'])
    .optional()
    .openapi({ description: 'For .csv: which section (default 2, one row per decline).' }),
});

const ext = '(\\.(json|csv|xlsx|pdf|md|html|svg))?';
export const WeekParams = z.object({
  date: z
    .string()
    .regex(new RegExp(`^(\\d{4}-\\d{2}-\\d{2}|last)${ext}$`))
    .openapi({
      example: '2017-01-28',
      description: 'A Saturday, or "last"; an extension asks for a download.',
    }),
});
export const RangeParams = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .openapi({ example: '2017-01-01' }),
  to: z
    .string()
    .regex(new RegExp(`^\\d{4}-\\d{2}-\\d{2}${ext}$`))
    .openapi({ example: '2017-03-31' }),
});
export const QuarterParams = z.object({
  quarter: z
    .string()
    .regex(new RegExp(`^FY\\d{4}Q[1-4]${ext}$`, 'i'))
    .openapi({ example: 'FY2017Q2' }),
});
export const FipsParams = z.object({
  fips: z
    .string()
    .regex(/^\d{5}$/)
    .openapi({ example: '48453' }),
});

export const EditionSummarySchema = z
  .object({
    period: z.object({ start: z.string(), end: z.string(), kind: z.string() }),
    number: z.number().int(),
    published_at: z.string(),
    content_sha256: z.string(),
    note: z.string().nullable(),
    errata: z.string().nullable(),
    supersedes: z.number().int().nullable(),
  })
  .openapi('EditionSummary');

const WeekPoint = z.object({
  week: z.string(),
  detainers_issued: z.number().int(),
  declined: z.number().int(),
});
export const CountySchema = z
  .object({
    county: z.object({
      fips: z.string(),
      name: z.string(),
      state: z.string(),
      state_name: z.string(),
      class: z.string(),
    }),
    weeks: z.array(WeekPoint),
    totals: z.object({
      detainers_issued: z.number().int(),
      declined: z.number().int(),
      decline_share: z.number().nullable(),
    }),
    policies: z.array(
      z.object({
        policy_id: z.string(),
        level: z.string(),
        type: z.string(),
        title: z.string(),
        aor: z.string().nullable(),
        enacted_date: z.string(),
        rescinded_date: z.string().nullable(),
        restricts: z.array(z.string()),
        source_url: z.string().nullable(),
      }),
    ),
    editions: z.array(
      z.object({
        period: z.object({ start: z.string(), end: z.string(), kind: z.string() }),
        number: z.number().int(),
        published_at: z.string(),
        declines: z.number().int(),
      }),
    ),
  })
  .openapi('County');
