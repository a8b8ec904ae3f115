/**
 * Citizenship: a country name or ISO 3166 code in, the country's English short
 * name out. i18n-iso-countries carries the names and codes; a few spellings
 * common in US records are added here.
 */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/en.json'));

/** Names shown in reports, where the library's first English name is not the one readers know. */
const DISPLAY_NAMES: Record<string, string> = {
  US: 'United States',
  CN: 'China',
  TW: 'Taiwan',
  BS: 'Bahamas',
  GM: 'Gambia',
  GB: 'United Kingdom',
  RU: 'Russia',
  KR: 'South Korea',
  KP: 'North Korea',
  VN: 'Vietnam',
  LA: 'Laos',
  SY: 'Syria',
  IR: 'Iran',
  BO: 'Bolivia',
  VE: 'Venezuela',
  TZ: 'Tanzania',
  MD: 'Moldova',
  CD: 'Democratic Republic of the Congo',
  CG: 'Republic of the Congo',
  FM: 'Micronesia',
};

/** Extra spellings seen in US government records, mapped to ISO alpha-2. */
const EXTRA_ALIASES: Record<string, string> = {
  Burma: 'MM',
  'Korea, South': 'KR',
  'Korea, North': 'KP',
  'China, Peoples Republic of': 'CN',
  "China, People's Republic of": 'CN',
  'Ivory Coast': 'CI',
  'Cape Verde': 'CV',
  Swaziland: 'SZ',
  Macedonia: 'MK',
  'Czech Republic': 'CZ',
  'United States of America': 'US',
  'Great Britain': 'GB',
  England: 'GB',
  Scotland: 'GB',
  'Dominica Republic': 'DO',
  // ICE's spellings in its released files.
  'China, Peoples Republic': 'CN',
  'Bahamas, The': 'BS',
  'Gambia, The': 'GM',
  'Congo, Democratic Republic of the': 'CD',
  'Congo, Democratic Republic': 'CD',
  'Congo, Republic of the': 'CG',
  'Micronesia, Federated States of': 'FM',
  'St. Kitts-Nevis': 'KN',
  'St. Lucia': 'LC',
  'St. Vincent-Grenadines': 'VC',
  'Antigua-Barbuda': 'AG',
  'Bosnia-Herzegovina': 'BA',
  'East Timor': 'TL',
  'Serbia and Montenegro': 'RS',
  'Hong Kong': 'HK',
  Macau: 'MO',
  'Turks and Caicos Islands': 'TC',
  'Netherlands Antilles': 'CW',
  Korea: 'KR',
  Laos: 'LA',
  Russia: 'RU',
  Syria: 'SY',
  Vietnam: 'VN',
  Tanzania: 'TZ',
  Venezuela: 'VE',
  Bolivia: 'BO',
  Iran: 'IR',
};

export function countryName(alpha2: string): string {
  return DISPLAY_NAMES[alpha2] ?? countries.getName(alpha2, 'en') ?? alpha2;
}

/** Every accepted spelling or code, paired with the display name it resolves to. */
export function countryAliases(): Array<{ alias: string; name: string }> {
  const out: Array<{ alias: string; name: string }> = [];
  const all = countries.getNames('en', { select: 'all' }) as Record<string, string[]>;
  for (const [alpha2, names] of Object.entries(all)) {
    const name = countryName(alpha2);
    out.push(
      { alias: alpha2, name },
      { alias: countries.alpha2ToAlpha3(alpha2) ?? alpha2, name },
      { alias: name, name },
    );
    for (const n of names) out.push({ alias: n, name });
  }
  for (const [alias, alpha2] of Object.entries(EXTRA_ALIASES)) out.push({ alias, name: countryName(alpha2) });
  return out;
}
