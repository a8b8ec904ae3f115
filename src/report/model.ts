/**
 * The Report: plain data, the one thing every renderer, the API and the web
 * pages take. Defined once, as zod schemas: the types are inferred from them,
 * and the API's OpenAPI document shows them (each `id` is a named component).
 * Every object is strict, so a field the schema lacks fails validation. Field
 * order here is the order of the JSON (SPEC §5); a new field goes where it
 * should appear.
 */
import { z } from 'zod';
import { CRIMINAL_ACTIVITY_KINDS, REQUEST_KINDS } from '../domain/vocab.js';
import type { PeriodKind } from './period.js';

import { REPORT_SCHEMA } from './schema-name.js';

export { REPORT_SCHEMA };

const count = () => z.number().int().nonnegative();
/** `YYYY-MM-DD`. */
const date = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A SHA-256, hex. */
const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/);
/** A named schema or null. (`.nullable()` would give its OpenAPI component the null too.) */
const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** Counts by request kind: hold (I-247D/A/X), notification (I-247N), unknown (no form, or I-247). */
export const KindCountsSchema = z
  .strictObject({
    hold: z.number().int().nonnegative(),
    notification: z.number().int().nonnegative(),
    unknown: z.number().int().nonnegative(),
  })
  .meta({ id: 'KindCounts' });
export type KindCounts = z.infer<typeof KindCountsSchema>;
export const RequestKindSchema = z.enum(REQUEST_KINDS);

export const DeclineBasisSchema = z.enum(['recorded', 'issued']);
export type DeclineBasis = z.infer<typeof DeclineBasisSchema>;

export const CountyRefSchema = z
  .strictObject({ fips: z.string().regex(/^\d{5}$/), name: z.string(), state: z.string() })
  .meta({ id: 'CountyRef' });
export type CountyRef = z.infer<typeof CountyRefSchema>;

export const CriminalActivitySchema = z
  .strictObject({ description: z.string(), kind: z.enum(CRIMINAL_ACTIVITY_KINDS) })
  .meta({ id: 'CriminalActivity' });

/** Absent from editions published before the field was added (their JSON is frozen). */
const addedLater = <T extends z.ZodType>(schema: T) => schema.optional();
/** A decline share: declines ÷ detainers issued, both of the period, to 4 decimals; null with none issued. */
const share = () =>
  z
    .number()
    .nonnegative()
    .nullable()
    .describe(
      'Declines ÷ detainers issued, both counted in the period, to 4 decimals; null when none was issued. Under decline_basis recorded a decline may be on a detainer issued before the period, so the share can exceed 1.',
    );

export const Section1RowSchema = z
  .strictObject({
    rank: z.number().int().positive(),
    county: CountyRefSchema,
    detainers_issued: count(),
    declined: addedLater(
      count().describe("The county's declines counted in the period (its Section II rows), beside its rank."),
    ),
    detainers_issued_by_kind: addedLater(
      KindCountsSchema.describe('detainers_issued split by request kind.'),
    ),
    previous_rank: addedLater(
      z
        .number()
        .int()
        .positive()
        .nullable()
        .describe("Its rank in the previous period's Section I; null when it was not listed there."),
    ),
    movement: addedLater(
      z
        .enum(['new', 'up', 'down', 'same'])
        .describe("Against the previous period's Section I: new (not listed there), up, down or same rank."),
    ),
  })
  .meta({ id: 'Section1Row' });
export type Section1Row = z.infer<typeof Section1RowSchema>;

export const DeclineRowSchema = z
  .strictObject({
    ref: addedLater(
      z
        .string()
        .regex(/^[0-9a-f]{12}$/)
        .describe(
          "The row's stable reference: the first 12 hex digits of SHA-256 of its county, facility and fields (and its place among identical rows), never a detainer id. The same row has the same ref in every edition; disputes name rows by it.",
        ),
    ),
    citizenship: z.string().nullable(),
    issued_date: date(),
    declined_date: date()
      .nullable()
      .describe('Null only under decline_basis issued, for declines whose source gives no date.'),
    recorded_date: date().nullable(),
    criminal_activity: z.array(CriminalActivitySchema),
    lift_reason: z
      .string()
      .nullable()
      .describe("The lift reason as ICE's file gave it (null for canonical records)."),
    received_by: z
      .string()
      .nullable()
      .describe('The agency the detainer was sent to, when another agency released the person (a transfer).'),
    request_kind: addedLater(
      RequestKindSchema.describe(
        'What the detainer asked, from its form: hold (I-247D, I-247A, I-247X), notification (I-247N), unknown (no form, or I-247).',
      ),
    ),
  })
  .meta({ id: 'DeclineRow' });
export type DeclineRow = z.infer<typeof DeclineRowSchema>;

export const Section2GroupSchema = z
  .strictObject({
    county: CountyRefSchema,
    facility: z.string(),
    county_detainers_issued: addedLater(
      count().describe(
        'Detainers issued in the period to agencies in the county (any outcome but issued_in_error): what its declines are out of.',
      ),
    ),
    county_declined: addedLater(
      count().describe("The county's declines counted in the period, every facility."),
    ),
    county_decline_share: addedLater(share()),
    declines: z.array(DeclineRowSchema),
  })
  .meta({ id: 'Section2Group' });
export type Section2Group = z.infer<typeof Section2GroupSchema>;

export const Section3RowSchema = z
  .strictObject({
    policy_id: z.string(),
    level: z.string(),
    jurisdiction: z.string(),
    state: z.string().describe('USPS code: with county_fips, where the map marks the policy.'),
    county_fips: z.string().nullable(),
    aor: z.string().nullable(),
    type: z.string(),
    title: z.string(),
    enacted_date: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/)
      .describe('`YYYY-MM-DD`, or `YYYY-MM` when only the month is known.'),
    rescinded_date: date().nullable(),
    criteria: z.string().nullable(),
    restricts: z.array(z.string()),
    source_url: z.string().nullable(),
  })
  .meta({ id: 'Section3Row' });
export type Section3Row = z.infer<typeof Section3RowSchema>;

export const Section4FiguresSchema = z
  .strictObject({
    declines_issued_before_period: count(),
    oldest_issued_date: date().nullable(),
    median_recording_lag_days: z.number().nullable(),
    excluded_unresolved: count(),
    missing_citizenship: count(),
    missing_criminal_activity: count(),
    corrections_since_previous_edition: count(),
    declines_not_on_map: count().describe(
      'Declines in counties the county map cannot draw (e.g. Puerto Rico).',
    ),
    declines_without_date: count().describe(
      'Declines with no date (ICE files without a lift date), among detainers issued in the period.',
    ),
    unresolved_detainers_issued: count().describe(
      'Detainers issued in the period at facilities still in the resolution queue (no county yet).',
    ),
  })
  .meta({ id: 'Section4Figures' });
export type Section4Figures = z.infer<typeof Section4FiguresSchema>;

export const TotalsSchema = z
  .strictObject({
    detainers_issued: count(),
    declined: count(),
    jurisdictions_with_declines: count(),
    states_with_declines: count(),
    facilities_with_declines: count(),
  })
  .meta({ id: 'Totals' });

export const TotalChangeSchema = z
  .strictObject({ before: count(), after: count() })
  .meta({ id: 'TotalChange' });
export type TotalChange = z.infer<typeof TotalChangeSchema>;

export const RowChangeSchema = z
  .strictObject({ county: CountyRefSchema, facility: z.string(), decline: DeclineRowSchema })
  .meta({ id: 'RowChange' });
export type RowChange = z.infer<typeof RowChangeSchema>;

/** Keys of `totals` only. */
const totalsKey = z.string().regex(new RegExp(`^(${TotalsSchema.keyof().options.join('|')})$`));

export const EditionChangesSchema = z
  .strictObject({
    totals: z.record(totalsKey, TotalChangeSchema),
    counties_added: z.array(CountyRefSchema),
    counties_removed: z.array(CountyRefSchema),
    counties_changed: z.array(
      z.strictObject({ county: CountyRefSchema, declines_before: count(), declines_after: count() }),
    ),
    rows_added: z.array(RowChangeSchema),
    rows_removed: z.array(RowChangeSchema),
    section1_changed: z.array(
      z.strictObject({
        county: CountyRefSchema,
        detainers_issued_before: count().nullable(),
        detainers_issued_after: count().nullable(),
      }),
    ),
    policies_added: z.array(z.string()),
    policies_removed: z.array(z.string()),
    policies_changed: z.array(z.string()),
  })
  .describe('What an edition changes against the one it supersedes, computed from the two reports.')
  .meta({ id: 'EditionChanges' });
export type EditionChanges = z.infer<typeof EditionChangesSchema>;

export const EditionSchema = z
  .strictObject({
    number: z.number().int().positive(),
    published_at: z.iso.datetime(),
    content_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    note: z.string().nullable().describe("The publisher's note (`--note`)."),
    errata: z.string().nullable(),
    disputes: addedLater(
      z
        .array(z.number().int().positive())
        .describe('The disputes this correction answers (upheld or partly upheld), by number: /disputes/N.'),
    ),
    supersedes: z.number().int().positive().nullable(),
    changes: orNull(EditionChangesSchema),
    // The edition's place in the chain of every published edition, and its signature (README,
    // "Checking an edition yourself"). Absent only from editions published before the chain.
    sequence: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Its place in the one chain of every published edition, of any period: 1, 2, 3…'),
    previous_entry_sha256: sha256()
      .nullable()
      .optional()
      .describe(
        'The entry hash of the edition published just before this one (any period); null for the first.',
      ),
    supersedes_entry_sha256: sha256()
      .nullable()
      .optional()
      .describe('The entry hash of the edition this one corrects; null for an edition 1.'),
    key_id: sha256()
      .nullable()
      .optional()
      .describe(
        "SHA-256 of the publisher's public key (DER SubjectPublicKeyInfo); null when published unsigned.",
      ),
    entry_sha256: sha256()
      .optional()
      .describe(
        'SHA-256 of the canonical JSON of {schema, period, edition without entry_sha256 and signature}: what the edition commits to.',
      ),
    signature: z
      .string()
      .nullable()
      .optional()
      .describe(
        'Base64 Ed25519 signature over the 64 ASCII hex characters of entry_sha256; null when unsigned.',
      ),
    // Who compiled and who reviewed it (office mode: staff accounts, never a detained person).
    // Absent from editions published without accounts, and from those before review existed.
    compiled_by: z
      .string()
      .nullable()
      .optional()
      .describe('The staff account that proposed this edition (office mode).'),
    compiled_at: z.iso.datetime().nullable().optional().describe('When it was proposed.'),
    reviewed_by: z
      .string()
      .nullable()
      .optional()
      .describe('The staff account that approved and published it.'),
    reviewed_at: z.iso.datetime().nullable().optional().describe('When it was approved.'),
    review_rule: z
      .enum(['two-person', 'one-person'])
      .nullable()
      .optional()
      .describe(
        "two-person: proposed by one account, approved by another; one-person: the office's two-person rule was off.",
      ),
  })
  .meta({ id: 'Edition' });
export type Edition = z.infer<typeof EditionSchema>;

export const PeriodSchema = z
  .strictObject({
    start: date(),
    end: date(),
    kind: z.enum(['week', 'quarter', 'range']) satisfies z.ZodType<PeriodKind>,
  })
  .meta({ id: 'Period' });

export const PreviousPeriodSchema = z
  .strictObject({
    period: PeriodSchema,
    totals: TotalsSchema,
    change: z
      .strictObject({
        detainers_issued: z.number().int(),
        declined: z.number().int(),
        jurisdictions_with_declines: z.number().int(),
        states_with_declines: z.number().int(),
        facilities_with_declines: z.number().int(),
      })
      .describe("This period's totals minus the previous period's."),
  })
  .describe(
    "What changed: the previous period's totals (the week, quarter or as many days just before), computed by the same rules on the same data, and the change.",
  )
  .meta({ id: 'PreviousPeriod' });
export type PreviousPeriod = z.infer<typeof PreviousPeriodSchema>;

export const ReportSchema = z
  .strictObject({
    schema: z.literal(REPORT_SCHEMA),
    title: z.string(),
    demo: z
      .boolean()
      .describe('True when the store holds the bundled demo data: synthetic records, not real ones.'),
    period: PeriodSchema,
    decline_basis: DeclineBasisSchema,
    top: z.number().int().positive().describe('How many counties Section I lists at most (`--top`).'),
    totals: TotalsSchema,
    totals_by_kind: addedLater(
      z
        .strictObject({ detainers_issued: KindCountsSchema, declined: KindCountsSchema })
        .describe('Detainers issued and declines counted, split by request kind.'),
    ),
    previous: addedLater(orNull(PreviousPeriodSchema)),
    section1: z.array(Section1RowSchema),
    section2: z.array(Section2GroupSchema),
    section3: z.array(Section3RowSchema),
    section4: z.strictObject({ notes: z.array(z.string()), figures: Section4FiguresSchema }),
    edition: orNull(EditionSchema),
  })
  .meta({ id: 'Report' });
export type Report = z.infer<typeof ReportSchema>;
