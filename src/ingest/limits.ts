/**
 * The size limits of an import, in one place (the README's *Limits* table
 * lists them). Each is far above what a real file holds and low enough that
 * a broken or hostile file is refused with a message instead of exhausting
 * memory or vanishing rows.
 */

const MiB = 1024 * 1024;

/**
 * The longest data row, in bytes, without its line break (for workbooks and
 * Parquet: the UTF-8 bytes of the columns ddor reads). A real detainer row is a
 * few KB; 4 MiB also holds the read columns of any row Excel can save (32,767
 * characters a cell). A longer row is rejected as "row too long", with its line.
 */
export const MAX_ROW_BYTES = 4 * MiB;

/** The longest header row, in bytes. */
export const MAX_HEADER_BYTES = 1 * MiB;

/** The most columns a header may name: as many as an Excel sheet can hold. */
export const MAX_COLUMNS = 16_384;

/** Workbooks (an .xlsx file is a ZIP archive of XML parts). */
export const XLSX_LIMITS = {
  /** Uncompressed bytes of the parts ddor reads (sheets, shared strings, styles, workbook). */
  totalBytes: 2048 * MiB,
  /** Uncompressed bytes of xl/sharedStrings.xml, which is held in memory while the sheets are read. */
  sharedStringsBytes: 256 * MiB,
  /** Uncompressed ÷ compressed size of a part over 16 MiB: real sheets compress 5–20×, zip bombs 1,000×. */
  ratio: 200,
  ratioFloorBytes: 16 * MiB,
  /** The longest run of XML text without a tag (one cell's text): bounds what the XML parser buffers. */
  textRunBytes: 8 * MAX_ROW_BYTES,
} as const;

export const formatBytes = (n: number) =>
  n >= MiB ? `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB` : `${n.toLocaleString('en-US')} bytes`;

/**
 * The longest id, name, code or place, in characters. They are keys (PostgreSQL
 * indexes refuse entries over about 2,700 bytes) and labels in every output; a
 * real agency name is under 100 characters. Free text (criminal activity,
 * criteria, titles) is bounded by the row only.
 */
export const MAX_NAME_CHARS = 300;

/** The staged columns MAX_NAME_CHARS applies to, across every reader. */
export const NAME_COLUMNS: ReadonlySet<string> = new Set([
  'detainer_id',
  'policy_id',
  'agency',
  'agency_code',
  'city',
  'county',
  'county_fips',
  'state',
  'released_by_agency',
  'released_by_city',
  'released_by_county',
  'released_by_county_fips',
  'released_by_state',
  'place',
  'aor',
  'facility',
  'facility_code',
  'citizenship',
]);
