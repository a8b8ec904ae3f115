/**
 * Versioned schema migrations, run by Kysely's Migrator on open. Append only:
 * a shipped migration is never edited, a change is a new one. Each is literal:
 * it names its own columns and reads only its own frozen data file (checked by
 * SHA-256), never today's column lists or gazetteer, so editing those can
 * never rewrite what an earlier migration did.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import { dataPath } from '../../paths.js';

type Dialect = 'duckdb' | 'postgres';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own day.
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Builder = CreateTableBuilder<any, any>;

/** A column as a migration writes it: name, type, and `!` for NOT NULL. */
type Column = readonly [name: string, type: 'varchar' | 'date' | 'integer', notNull?: '!'];

function addColumns(builder: Builder, columns: readonly Column[]): Builder {
  let b = builder;
  for (const [name, type, notNull] of columns)
    b = b.addColumn(name, type, (c) => (notNull ? c.notNull() : c));
  return b;
}

/** The detainer columns as migration 0001 created them (0003 added lift_reason and facility_key). */
const DETAINER_COLUMNS_0001: readonly Column[] = [
  ['detainer_id', 'varchar', '!'],
  ['issued_date', 'date', '!'],
  ['form', 'varchar'],
  ['aor', 'varchar'],
  ['agency', 'varchar', '!'],
  ['agency_code', 'varchar'],
  ['city', 'varchar'],
  ['county_fips', 'varchar', '!'],
  ['state', 'varchar', '!'],
  ['citizenship', 'varchar'],
  ['criminal_activity', 'varchar'],
  ['outcome', 'varchar', '!'],
  ['declined_date', 'date'],
  ['recorded_date', 'date'],
  ['released_by_agency', 'varchar'],
  ['released_by_city', 'varchar'],
  ['released_by_county_fips', 'varchar'],
  ['released_by_state', 'varchar'],
  ['source', 'varchar'],
];

/** The policy columns as migration 0001 created them. */
const POLICY_COLUMNS_0001: readonly Column[] = [
  ['policy_id', 'varchar', '!'],
  ['level', 'varchar', '!'],
  ['state', 'varchar', '!'],
  ['county_fips', 'varchar'],
  ['place', 'varchar'],
  ['aor', 'varchar'],
  ['type', 'varchar', '!'],
  ['title', 'varchar', '!'],
  ['enacted_date', 'date', '!'],
  ['enacted_precision', 'varchar', '!'],
  ['rescinded_date', 'date'],
  ['restricts', 'varchar', '!'],
  ['criteria', 'varchar'],
  ['source_url', 'varchar'],
];

/**
 * The county-equivalents migration 0001 seeds: the Census 2010 list with its dated
 * changes to 2022, frozen as data/migrations/0001-counties.csv. A later gazetteer
 * vintage is a new migration with a file of its own.
 */
const COUNTIES_0001 = {
  file: '0001-counties.csv',
  sha256: '532f6f26accc27847a8e2f0b1d6443dd0e507038088b904a5e3dcb58848964b0',
};

/** Reads a migration's frozen data file, refusing one that differs from what the migration shipped with. */
export function frozenRows(seed: { file: string; sha256: string }): Record<string, string>[] {
  const bytes = readFileSync(dataPath('migrations', seed.file));
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== seed.sha256) {
    throw new Error(
      `data/migrations/${seed.file} is not the file this migration shipped with (SHA-256 ${actual}, expected ${seed.sha256})`,
    );
  }
  return parse(bytes, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

function initial(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('counties')
        .addColumn('fips', 'varchar(5)', (c) => c.primaryKey())
        .addColumn('state', 'varchar(2)', (c) => c.notNull())
        .addColumn('name', 'varchar', (c) => c.notNull())
        .addColumn('county_class', 'varchar', (c) => c.notNull())
        .addColumn('valid_from', 'date')
        .addColumn('valid_to', 'date')
        .execute();
      const rows = frozenRows(COUNTIES_0001).map((c) => ({
        fips: c.fips,
        state: c.state,
        name: c.name,
        county_class: c.county_class,
        valid_from: c.valid_from || null,
        valid_to: c.valid_to || null,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await db
          .insertInto('counties')
          .values(rows.slice(i, i + 500))
          .execute();
      }

      await db.schema
        .createTable('imports')
        .addColumn('import_id', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'varchar', (c) => c.notNull())
        .addColumn('file_name', 'varchar', (c) => c.notNull())
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('rows_read', 'integer', (c) => c.notNull())
        .addColumn('inserted', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('unchanged', 'integer', (c) => c.notNull())
        .addColumn('quarantined', 'integer', (c) => c.notNull())
        .addColumn('is_demo', 'boolean', (c) => c.notNull())
        .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('agencies')
        .addColumn('state', 'varchar(2)', (c) => c.notNull())
        .addColumn('county_fips', 'varchar(5)', (c) => c.notNull())
        .addColumn('name', 'varchar', (c) => c.notNull())
        .addColumn('agency_code', 'varchar')
        .addColumn('city', 'varchar')
        .addColumn('first_import_id', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('agencies_pk', ['state', 'county_fips', 'name'])
        .execute();

      // DuckDB's ART indexes make bulk loads several times slower; there the import
      // enforces key uniqueness (it is the only writer). PostgreSQL gets real keys.
      const keyed = dialect === 'postgres';
      let detainers = addColumns(db.schema.createTable('detainers'), DETAINER_COLUMNS_0001).addColumn(
        'import_id',
        'integer',
        (c) => c.notNull(),
      );
      if (keyed) detainers = detainers.addPrimaryKeyConstraint('detainers_pk', ['detainer_id']);
      await detainers.execute();
      await addColumns(db.schema.createTable('detainer_history'), DETAINER_COLUMNS_0001)
        .addColumn('import_id', 'integer', (c) => c.notNull())
        .addColumn('superseded_by_import', 'integer', (c) => c.notNull())
        .execute();

      let policies = addColumns(db.schema.createTable('policies'), POLICY_COLUMNS_0001).addColumn(
        'import_id',
        'integer',
        (c) => c.notNull(),
      );
      if (keyed) policies = policies.addPrimaryKeyConstraint('policies_pk', ['policy_id']);
      await policies.execute();
      await addColumns(db.schema.createTable('policy_history'), POLICY_COLUMNS_0001)
        .addColumn('import_id', 'integer', (c) => c.notNull())
        .addColumn('superseded_by_import', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('quarantine')
        .addColumn('import_id', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar', (c) => c.notNull())
        .addColumn('file_name', 'varchar', (c) => c.notNull())
        .addColumn('line', 'integer', (c) => c.notNull())
        .addColumn('column_name', 'varchar', (c) => c.notNull())
        .addColumn('value', 'varchar')
        .addColumn('reason', 'varchar', (c) => c.notNull())
        .addColumn('hint', 'varchar', (c) => c.notNull())
        .addColumn('record', 'varchar', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('editions')
        .addColumn('period_kind', 'varchar', (c) => c.notNull())
        .addColumn('period_start', 'date', (c) => c.notNull())
        .addColumn('period_end', 'date', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('published_at', 'timestamptz', (c) => c.notNull())
        .addColumn('content_sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('note', 'varchar')
        .addColumn('errata', 'varchar')
        .addColumn('supersedes', 'integer')
        .addColumn('report_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('editions_pk', ['period_start', 'period_end', 'number'])
        .execute();

      if (dialect === 'postgres') {
        await db.schema.createIndex('detainers_issued').on('detainers').column('issued_date').execute();
        await db.schema.createIndex('detainers_recorded').on('detainers').column('recorded_date').execute();
      }
    },
  };
}

/** Published editions never change: on PostgreSQL the database itself refuses UPDATE and DELETE. */
function frozenEditions(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (dialect !== 'postgres') return; // DuckDB has no triggers; every read checks the edition's SHA-256.
      await sql`CREATE FUNCTION ddor_editions_are_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ddor: published editions never change'; END $$`.execute(db);
      await sql`CREATE TRIGGER ddor_editions_frozen BEFORE UPDATE OR DELETE ON editions
        FOR EACH ROW EXECUTE FUNCTION ddor_editions_are_frozen()`.execute(db);
    },
  };
}

/**
 * ICE's own files name a facility, not a county: detainers keep the raw lift reason and a
 * facility key, and the facilities registry attributes each facility to a county (or queues it).
 */
function facilities(): Migration {
  return {
    async up(db: AnyDb) {
      for (const table of ['detainers', 'detainer_history']) {
        await db.schema.alterTable(table).addColumn('lift_reason', 'varchar').execute();
        await db.schema.alterTable(table).addColumn('facility_key', 'varchar').execute();
        await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN county_fips DROP NOT NULL`.execute(db);
      }
      await db.schema
        .createTable('facilities')
        .addColumn('facility_key', 'varchar', (c) => c.primaryKey())
        .addColumn('name', 'varchar', (c) => c.notNull())
        .addColumn('code', 'varchar')
        .addColumn('city', 'varchar')
        .addColumn('state', 'varchar(2)', (c) => c.notNull())
        .addColumn('county_fips', 'varchar(5)')
        .addColumn('candidates', 'varchar')
        .addColumn('resolved_by', 'varchar', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * Outcomes from ICE's lift reasons follow a table a user can replace (SPEC §2.12): an import
 * made with another table than the shipped one records its file name and SHA-256 (NULL: the default).
 */
function liftTables(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('imports').addColumn('lift_table_name', 'varchar').execute();
      await db.schema.alterTable('imports').addColumn('lift_table_sha256', 'varchar(64)').execute();
    },
  };
}

/** Canonical JSON as migration 0005 wrote chain entries: keys sorted, no whitespace (RFC 8785 for a report's values). */
function canonicalJson0005(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson0005).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson0005(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Verifiable editions: one append-only chain over every published edition (of any period),
 * the public keys editions are signed with, and a log of what built the chain. A store that
 * already holds editions gets its chain built here, once, over them in publication order:
 * each entry is {schema, period, edition} of the edition's own JSON plus its place in the
 * chain (unsigned: a migration holds no key). Their bytes and content hashes are untouched.
 * On PostgreSQL the tables refuse UPDATE, DELETE and TRUNCATE (editions too, now TRUNCATE),
 * and a sequence keeps the chain's length outside its table, so a deleted tail shows.
 */
function editionChain(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('edition_chain')
        .addColumn('sequence', 'integer', (c) => c.primaryKey())
        .addColumn('period_start', 'date', (c) => c.notNull())
        .addColumn('period_end', 'date', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('entry_json', 'text', (c) => c.notNull())
        .addColumn('entry_sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('signature', 'varchar')
        .addUniqueConstraint('edition_chain_edition', ['period_start', 'period_end', 'number'])
        .execute();
      await db.schema
        .createTable('publisher_keys')
        .addColumn('key_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('first_used_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('edition_chain_log')
        .addColumn('logged_at', 'timestamptz', (c) => c.notNull())
        .addColumn('event', 'varchar', (c) => c.notNull())
        .addColumn('editions', 'integer', (c) => c.notNull())
        .addColumn('head_entry_sha256', 'varchar(64)')
        .execute();

      const rows = (await db
        .selectFrom('editions')
        .select(['period_start', 'period_end', 'number', 'report_json'])
        .orderBy('published_at')
        .orderBy('period_start')
        .orderBy('period_end')
        .orderBy('number')
        .execute()) as {
        period_start: string;
        period_end: string;
        number: number | bigint;
        report_json: string;
      }[];
      let previous: string | null = null;
      const latestOfPeriod = new Map<string, string>();
      let sequence = 0;
      for (const row of rows) {
        const report = JSON.parse(row.report_json) as {
          schema: string;
          period: unknown;
          edition: Record<string, unknown>;
        };
        const period = `${row.period_start}/${row.period_end}`;
        sequence++;
        const entry = {
          schema: report.schema,
          period: report.period,
          edition: {
            ...report.edition,
            sequence,
            previous_entry_sha256: previous,
            supersedes_entry_sha256:
              report.edition.supersedes === null ? null : (latestOfPeriod.get(period) ?? null),
            key_id: null,
          },
        };
        const entryJson = canonicalJson0005(entry);
        const entrySha = createHash('sha256').update(entryJson).digest('hex');
        await db
          .insertInto('edition_chain')
          .values({
            sequence,
            period_start: row.period_start,
            period_end: row.period_end,
            number: Number(row.number),
            entry_json: entryJson,
            entry_sha256: entrySha,
            signature: null,
          })
          .execute();
        previous = entrySha;
        latestOfPeriod.set(period, entrySha);
      }
      await db
        .insertInto('edition_chain_log')
        .values({
          logged_at: new Date().toISOString(),
          event:
            sequence === 0
              ? 'migration 0005-edition-chain: no editions yet; the chain starts empty'
              : `migration 0005-edition-chain: chain built over the ${sequence} existing editions in publication order (published_at, period, number), unsigned; their bytes and content hashes are unchanged`,
          editions: sequence,
          head_entry_sha256: previous,
        })
        .execute();

      if (dialect !== 'postgres') return; // DuckDB: every read walks the chain; the head is also kept in <store>.chain.
      for (const table of ['edition_chain', 'publisher_keys', 'edition_chain_log']) {
        await sql`CREATE TRIGGER ${sql.raw(`ddor_${table}_frozen`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
          FOR EACH ROW EXECUTE FUNCTION ddor_editions_are_frozen()`.execute(db);
      }
      for (const table of ['editions', 'edition_chain', 'publisher_keys', 'edition_chain_log']) {
        await sql`CREATE TRIGGER ${sql.raw(`ddor_${table}_not_truncated`)} BEFORE TRUNCATE ON ${sql.table(table)}
          FOR EACH STATEMENT EXECUTE FUNCTION ddor_editions_are_frozen()`.execute(db);
      }
      await sql`CREATE SEQUENCE edition_chain_head MINVALUE 0 START WITH 0`.execute(db);
      if (sequence > 0) await sql`SELECT setval('edition_chain_head', ${sequence}, true)`.execute(db);
    },
  };
}

/**
 * Office mode: staff accounts (never detained persons), their API tokens and web sessions
 * (only SHA-256 hashes of tokens and session ids; passwords as scrypt hashes with their
 * salt and parameters), and an append-only audit trail of every write. On PostgreSQL the
 * audit table refuses UPDATE, DELETE and TRUNCATE; on DuckDB only ddor writes it. The
 * trail's first row says when it began.
 */
function office(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('users')
        .addColumn('name', 'varchar', (c) => c.primaryKey())
        .addColumn('role', 'varchar', (c) => c.notNull())
        .addColumn('password_hash', 'varchar', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('disabled_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('token_id', 'varchar', (c) => c.primaryKey())
        .addColumn('user_name', 'varchar', (c) => c.notNull())
        .addColumn('label', 'varchar')
        .addColumn('token_sha256', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('web_sessions')
        .addColumn('session_sha256', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_name', 'varchar', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await sql`CREATE SEQUENCE audit_id START 1`.execute(db);
      await db.schema
        .createTable('audit')
        .addColumn('id', 'bigint', (c) => c.primaryKey().defaultTo(sql`nextval('audit_id')`))
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
        .addColumn('actor', 'varchar', (c) => c.notNull())
        .addColumn('via', 'varchar', (c) => c.notNull())
        .addColumn('from', 'varchar', (c) => c.notNull())
        .addColumn('action', 'varchar', (c) => c.notNull())
        .addColumn('target', 'varchar', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('audit')
        .values({
          actor: 'system',
          via: 'cli',
          from: 'migration',
          action: 'audit.start',
          target: '0006-office',
          detail: '{}',
        })
        .execute();
      if (dialect !== 'postgres') return;
      await sql`CREATE FUNCTION ddor_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ddor: the audit trail is append-only'; END $$`.execute(db);
      await sql`CREATE TRIGGER ddor_audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION ddor_audit_is_append_only()`.execute(db);
      await sql`CREATE TRIGGER ddor_audit_not_truncated BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION ddor_audit_is_append_only()`.execute(db);
    },
  };
}

/**
 * Review before publishing (issue 11): proposals of an edition and their decisions,
 * the office's settings (the two-person rule), and import jobs received by the
 * write API (in the store, so that two servers on one PostgreSQL database share them).
 */
function review(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('proposals')
        .addColumn('proposal_id', 'integer', (c) => c.primaryKey())
        .addColumn('period_kind', 'varchar', (c) => c.notNull())
        .addColumn('period_start', 'date', (c) => c.notNull())
        .addColumn('period_end', 'date', (c) => c.notNull())
        .addColumn('kind', 'varchar', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('top', 'integer', (c) => c.notNull())
        .addColumn('decline_basis', 'varchar', (c) => c.notNull())
        .addColumn('draft_sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('base_edition', 'integer')
        .addColumn('proposed_by', 'varchar', (c) => c.notNull())
        .addColumn('proposed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'varchar', (c) => c.notNull())
        .addColumn('decided_by', 'varchar')
        .addColumn('decided_at', 'timestamptz')
        .addColumn('reason', 'text')
        .addColumn('edition_number', 'integer')
        .execute();
      await db.schema
        .createTable('office_settings')
        .addColumn('name', 'varchar', (c) => c.primaryKey())
        .addColumn('value', 'varchar', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_by', 'varchar', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('import_jobs')
        .addColumn('job_id', 'varchar', (c) => c.primaryKey())
        .addColumn('kind', 'varchar', (c) => c.notNull())
        .addColumn('format', 'varchar', (c) => c.notNull())
        .addColumn('file_name', 'varchar', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('user_name', 'varchar', (c) => c.notNull())
        .addColumn('runner', 'varchar', (c) => c.notNull())
        .addColumn('status', 'varchar', (c) => c.notNull())
        .addColumn('phase', 'varchar', (c) => c.notNull())
        .addColumn('rows_done', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('finished_at', 'timestamptz')
        .addColumn('result', 'text')
        .addColumn('rejects_csv', 'text')
        .execute();
    },
  };
}

/**
 * Disputes (issue 13): a reader's challenge of a row, a county's listing or a county page,
 * its public record and timeline, and the reporter's contact in a table of its own (read
 * only by the office's pages and API, never by a public one). A correction proposal names
 * the disputes it answers.
 */
function disputes(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('disputes')
        .addColumn('dispute_id', 'integer', (c) => c.primaryKey())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'varchar', (c) => c.notNull())
        .addColumn('scope', 'varchar', (c) => c.notNull())
        .addColumn('claim', 'varchar', (c) => c.notNull())
        .addColumn('county_fips', 'varchar', (c) => c.notNull())
        .addColumn('period_kind', 'varchar')
        .addColumn('period_start', 'date')
        .addColumn('period_end', 'date')
        .addColumn('edition_number', 'integer')
        .addColumn('row_ref', 'varchar')
        .addColumn('row_json', 'text')
        .addColumn('claimed_value', 'text')
        .addColumn('explanation', 'text', (c) => c.notNull())
        .addColumn('reasoning', 'text')
        .addColumn('decided_at', 'timestamptz')
        .addColumn('correction_period_kind', 'varchar')
        .addColumn('correction_period_start', 'date')
        .addColumn('correction_period_end', 'date')
        .addColumn('correction_edition', 'integer')
        .execute();
      await db.schema.createIndex('disputes_by_county').on('disputes').columns(['county_fips']).execute();
      await db.schema
        .createTable('dispute_events')
        .addColumn('dispute_id', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('status', 'varchar', (c) => c.notNull())
        .addColumn('actor', 'varchar', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addPrimaryKeyConstraint('dispute_events_pk', ['dispute_id', 'seq'])
        .execute();
      await db.schema
        .createTable('dispute_contacts')
        .addColumn('dispute_id', 'integer', (c) => c.primaryKey())
        .addColumn('contact', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('proposals').addColumn('disputes', 'varchar').execute();
    },
  };
}

export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-frozen-editions': frozenEditions(dialect),
    '0003-facilities': facilities(),
    '0004-lift-tables': liftTables(),
    '0005-edition-chain': editionChain(dialect),
    '0006-office': office(dialect),
    '0007-review': review(),
    '0009-disputes': disputes(),
  };
}
