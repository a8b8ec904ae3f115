/**
 * The canonical CSV formats (SPEC §3): the header is checked against the
 * format's columns (identifying ones dropped unread, unknown ones refused or,
 * under --ignore-extra, skipped), then DuckDB stages the known columns.
 */
import { InputRejectedError, type Rejection } from '../errors.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { readHeader } from './csv-file.js';
import { stageCsv } from './csv-staging.js';
import { headerKey, isIdentifyingColumn } from './privacy.js';
import type { ImportSpec, ReaderOptions, ReadResult } from './spec.js';

interface HeaderPlan {
  /** Header position of each spec column present in the file. */
  positions: Map<string, number>;
  dropped: string[];
  ignored: string[];
}

function planHeader(file: string, header: string[], spec: ImportSpec, ignoreExtra: boolean): HeaderPlan {
  const known = new Set(spec.columns.map((c) => c.name));
  const positions = new Map<string, number>();
  const dropped: string[] = [];
  const ignored: string[] = [];
  const problems: Rejection[] = [];
  header.forEach((name, i) => {
    const key = headerKey(name);
    if (known.has(key)) {
      if (positions.has(key)) {
        problems.push({
          file,
          line: 1,
          column: name,
          value: null,
          reason: 'the column appears twice in the header',
          hint: 'Keep one column of each name.',
        });
      }
      positions.set(key, i);
    } else if (isIdentifyingColumn(name)) {
      dropped.push(name);
    } else if (ignoreExtra) {
      ignored.push(name);
    } else {
      problems.push({
        file,
        line: 1,
        column: name || `#${i + 1}`,
        value: null,
        reason: 'unknown column',
        hint: `Rename it to one of ${[...known].join(', ')}, or pass --ignore-extra to skip unknown columns.`,
      });
    }
  });
  for (const c of spec.columns) {
    if (c.required && !positions.has(c.name)) {
      problems.push({
        file,
        line: 1,
        column: c.name,
        value: null,
        reason: 'required column is missing from the header',
        hint: `Add a ${c.name} column (see the ${spec.kind} format in the README).`,
      });
    }
  }
  for (const group of spec.anyOf) {
    if (!group.some((g) => positions.has(g))) {
      problems.push({
        file,
        line: 1,
        column: group.join(' or '),
        value: null,
        reason: `the header needs at least one of ${group.join(', ')}`,
        hint: 'Counties are keyed by FIPS code; give county_fips, or county with state.',
      });
    }
  }
  if (problems.length > 0) {
    throw new InputRejectedError(
      `${file} was rejected: its header does not fit the ${spec.kind} format; nothing was imported`,
      problems,
      problems[0]!.hint,
    );
  }
  return { positions, dropped, ignored };
}

/** Reads a canonical CSV file into `stg_raw`: one column per spec column, NULL where the header lacks it. */
export async function readCanonicalCsv(
  stage: DuckSession,
  file: string,
  spec: ImportSpec,
  options: ReaderOptions,
): Promise<ReadResult> {
  const header = await readHeader(file);
  const plan = planHeader(file, header, spec, options.ignoreExtra ?? false);
  const select = spec.columns
    .map((c) => {
      const pos = plan.positions.get(c.name);
      return pos === undefined ? `NULL::VARCHAR AS "${c.name}"` : `NULLIF(trim(c${pos}), '') AS "${c.name}"`;
    })
    .join(', ');
  return stageCsv(stage, file, header, { select, dropped: plan.dropped, ignored: plan.ignored });
}
