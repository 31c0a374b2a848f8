#!/usr/bin/env python3
"""Build the derived name lists the NER tagger uses as gazetteer hints.

Writes, under crates/marsad-entities/data/:
- ner-countries.txt: Arabic country names (short and official) from countries.tsv.
- ner-places.txt: Arabic names of populated places with at least MIN_POP inhabitants
  from GeoNames cities1000 (only places that carry an Arabic name), plus capitals.

Only names (facts) are kept, never running text. Attribution: GeoNames (CC BY 4.0,
https://www.geonames.org) and pycountry/iso-codes, via ../shared/gazetteer.
Usage: python3 scripts/build_ner_lexicons.py [../shared/gazetteer]
"""
import csv, gzip, os, re, sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'gazetteer')
out_dir = os.path.join(os.path.dirname(__file__), '..', 'crates', 'marsad-entities', 'data')
MIN_POP = 15000
ARABIC = re.compile('[\u0621-\u063a\u0641-\u064a ]+')
DIAC = dict.fromkeys(range(0x064B, 0x0660), None)
DIAC[0x0670] = None
DIAC[0x0640] = None


def clean(name):
    name = name.translate(DIAC).strip()
    return ' '.join(name.split())


countries = set()
with open(os.path.join(src, 'countries.tsv'), encoding='utf-8') as f:
    for row in csv.DictReader(f, delimiter='\t'):
        for col in ('arabic_name', 'arabic_official_name'):
            n = clean(row.get(col) or '')
            if n:
                countries.add(n)
places = set()
with gzip.open(os.path.join(src, 'geonames-cities1000.tsv.gz'), 'rt', encoding='utf-8') as f:
    for row in csv.DictReader(f, delimiter='\t'):
        try:
            pop = int(row['population'] or 0)
        except ValueError:
            pop = 0
        if pop < MIN_POP or not row['arabic_names']:
            continue
        for n in row['arabic_names'].split('|'):
            n = clean(n)
            if n and len(n) >= 3 and len(n.split()) <= 4 and ARABIC.fullmatch(n):
                places.add(n)
places -= countries
header = ('# Derived by scripts/build_ner_lexicons.py from ../shared/gazetteer ({}).\n'
          '# GeoNames (CC BY 4.0, geonames.org); country names via pycountry/iso-codes.\n')
with open(os.path.join(out_dir, 'ner-countries.txt'), 'w', encoding='utf-8') as f:
    f.write(header.format('countries.tsv'))
    f.write('\n'.join(sorted(countries)) + '\n')
with open(os.path.join(out_dir, 'ner-places.txt'), 'w', encoding='utf-8') as f:
    f.write(header.format('geonames-cities1000.tsv.gz, population >= %d' % MIN_POP))
    f.write('\n'.join(sorted(places)) + '\n')
print(len(countries), 'countries,', len(places), 'places', file=sys.stderr)
