/**
 * How names (counties, states, facilities, jurisdictions) sort and when two
 * spellings name the same facility (SPEC §2.10, §2.11). Deterministic: no
 * locale, no Intl; the same input sorts the same on every machine.
 *
 * The sort key is the name as a reader files it in an index or a phone book:
 *
 * - accents and letter case do not count: "Doña Ana" files as "dona ana",
 *   "DeKalb" as "dekalb" (Unicode NFKD, combining marks removed, lower case;
 *   a few letters without a decomposition are spelled out: ß → ss, æ → ae,
 *   ø → o, ł → l, …);
 * - punctuation and spaces do not count either (letter by letter): "La Salle"
 *   and "LaSalle" file together, both after "Lake"; "O'Brien" as "obrien";
 * - "St." and "Ste." file as "Saint" and "Sainte" (and "Mt." as "Mount",
 *   "Ft." as "Fort"), as the Census Bureau's county lists and library filing
 *   rules do: Missouri reads St. Charles, St. Clair, Ste. Genevieve,
 *   St. Francois, St. Louis, Saline.
 *
 * Names with the same key are then ordered by code point, so the order is
 * total and two different spellings never compare equal.
 */

/** Letters that NFKD leaves alone but a reader reads as plain Latin letters. */
const SPELLED_OUT: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
};
const SPELLED_OUT_RE = new RegExp(`[${Object.keys(SPELLED_OUT).join('')}]`, 'gu');

/** Abbreviations filed as their full word, when they begin a word that another word follows. */
const ABBREVIATIONS: Record<string, string> = { st: 'saint', ste: 'sainte', mt: 'mount', ft: 'fort' };
const ABBREVIATION_RE = /(?<![\p{L}\p{N}])(ste|st|mt|ft)(?![\p{L}\p{N}])(?=[^\p{L}\p{N}]*\p{L})/gu;

/** Accents, case and the letters above folded away; punctuation and spaces still there. */
function plain(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(SPELLED_OUT_RE, (c) => SPELLED_OUT[c]!)
    .toLowerCase();
}

const strip = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The identity of a facility name within its county (SPEC §2.11): names that
 * differ only in letter case, accents, punctuation or spacing fold to the same
 * key ("Travis County Jail", "TRAVIS COUNTY JAIL ", "Travis County-Jail").
 * Abbreviations are not expanded: "St. Mary's" and "Saint Mary's" differ in
 * their letters and stay two facilities.
 */
export function foldName(name: string): string {
  return strip(plain(name));
}

// Sorting compares each name many times: keep the keys of the names seen lately.
const keys = new Map<string, string>();

/** The primary sort key of a name (see the module comment). */
export function nameSortKey(name: string): string {
  let key = keys.get(name);
  if (key === undefined) {
    key = strip(plain(name).replace(ABBREVIATION_RE, (word) => ABBREVIATIONS[word]!));
    if (keys.size >= 10_000) keys.clear();
    keys.set(name, key);
  }
  return key;
}

/** Unicode code-point order (JS's `<` compares UTF-16 units, which puts U+E000..U+FFFF after astral characters). */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Rule 10 on the primary level only: accent-, case-, punctuation- and space-insensitive. */
export function compareNameKeys(a: string, b: string): number {
  return compareCodePoints(nameSortKey(a), nameSortKey(b));
}

/** Rule 10: names in reading order, then by code point, so the order is total. */
export function compareNames(a: string, b: string): number {
  return compareNameKeys(a, b) || compareCodePoints(a, b);
}
