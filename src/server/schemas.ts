/**
 * The API's schemas (zod): the handlers validate their input with them, and the
 * OpenAPI 3.1 document is generated from the same objects, so the two cannot drift.
 * The report's own schema is the report layer's (`ReportSchema` in report/model.ts).
 */
import { z } from '@hono/zod-openapi';
import { FORMAT_IDS } from '../render/formats.js';

/** One rejected cell or row of an input, as the CLI prints it. */
export const RejectionSchema = z
  .object({
    file: z.string(),
    line: z.number().int(),
    column: z.string(),
    value: z.string().nullable(),
    reason: z.string(),
    hint: z.string(),
  })
  .openapi('Rejection');

export const ErrorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string(),
      message: z.string(),
      hint: z.string(),
      rejections: z
        .array(RejectionSchema)
        .optional()
        .openapi({ description: 'An input refused by the importer: the rows and fields, with reasons' }),
    }),
  })
  .openapi('Error');

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

/** A download's extension: any format of the registry. */
const ext = `(\\.(${FORMAT_IDS.join('|')}))?`;
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
    sequence: z.number().int().openapi({ description: 'Its place in the chain of every published edition' }),
    previous_entry_sha256: z
      .string()
      .nullable()
      .openapi({ description: 'The entry hash of the edition published before it (null: the first)' }),
    supersedes_entry_sha256: z
      .string()
      .nullable()
      .openapi({ description: 'The entry hash of the edition it corrects (null: an edition 1)' }),
    key_id: z
      .string()
      .nullable()
      .openapi({ description: "SHA-256 of the signing public key's DER; null: published unsigned" }),
    entry_sha256: z
      .string()
      .openapi({ description: 'SHA-256 of the canonical JSON of its entry {schema, period, edition}' }),
    signature: z
      .string()
      .nullable()
      .openapi({ description: 'Base64 Ed25519 signature over the ASCII hex entry_sha256; null: unsigned' }),
  })
  .openapi('EditionSummary');

const WeekPoint = z.object({
  week: z.string(),
  detainers_issued: z.number().int(),
  declined: z.number().int(),
  issuing_data: z.boolean().openapi({
    description:
      "False for weeks after the store's last issuing date: only declines recorded late, no detainers-issued figure.",
  }),
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
