#!/usr/bin/env python3
"""Build the committed gazetteer tables of marsad-entities.

Inputs (not shipped): ../shared/gazetteer/countries.tsv,
../shared/gazetteer/geonames-cities1000.tsv.gz (GeoNames, CC BY 4.0) and,
optionally, ../shared/corpus/ant-multisource.jsonl.gz (word frequencies, to
drop place names that are common words). Hand-written input:
crates/marsad-entities/data/country_base.tsv.

Outputs (committed):
  crates/marsad-entities/data/countries.tsv
      id iso2 iso3 lat lon names nisba_adj norp_plural ambiguous english
  crates/marsad-entities/data/places.tsv
      geonameid name lat lon country admin1 population arabic_names latin_names

Rules:
- Countries: names = Arabic and official Arabic name from countries.tsv plus
  the aliases of country_base.tsv. Coordinates = the mean position of the
  country's GeoNames places (the capital's when it has none). Nisba forms are generated from
  each stem S: S+ي, S+ية (singular adjectives) and S+يين, S+يون (plural,
  NORP); every form also with the article. Broken plurals come from the base
  table.
- Places: every place with an Arabic name. One-word names that are also
  common words are marked `?` (ambiguous; the recognizer needs evidence for
  them): words used both with and without the article among the 30,000 most
  frequent corpus words (`مدينة`/`المدينة`, `جنين`/`الجنين` are words as
  well as towns, while `حلب` is never definite); among the 500 most frequent
  words, places under 300,000 inhabitants; among the 5,000 most frequent,
  places under 100,000, or under 300,000 for three-letter names (`كنت`,
  `بنت`). Capitals are never marked. Names of one or two letters are dropped;
  plus, for the countries in LATIN_COUNTRIES (Sahel, West and North Africa,
  Middle East), every place with its Latin names, for matching Arabic
  spellings by transliteration.

Run from the repository root: python3 scripts/build_gazetteer.py
"""
import collections
import gzip
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
DATA = os.path.join(ROOT, "crates", "marsad-entities", "data")

LATIN_COUNTRIES = set(
    "ML NE BF TD MR SN NG CM SD SS LY DZ MA TN EG GN GW CI BJ TG GH GM SO ET ER "
    "CF SY IQ YE LB JO PS IL SA".split()
)

DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")


def norm(s):
    """Search form, as marsad-text writes it (enough for frequency lookup)."""
    s = DIACRITICS.sub("", s)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")):
        s = s.replace(a, b)
    return s.strip()


ARABIC_NAME = re.compile(r"[\u0621-\u064a\u064b-\u065f\u0670 \-]+")


def common_words(limit=5000):
    path = os.path.join(SHARED, "corpus", "ant-multisource.jsonl.gz")
    if not os.path.exists(path):
        print("warning: corpus absent, no common-word filter", file=sys.stderr)
        return set(), set(), set()
    counts = collections.Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text", "")
            counts.update(norm(w) for w in re.findall(r"[\u0621-\u064a\u0670]+", text))
    ranked = [w for w, _ in counts.most_common(30000)]
    top = set(ranked[:limit])
    wide = set(ranked)
    # A word used both with and without the article is a common noun
    # (`مدينة`/`المدينة`); town names are used one way only (`حلب`).
    both = {w for w in wide if w.startswith("ال") and w[2:] in wide}
    both |= {w[2:] for w in both}
    return top, set(ranked[:500]), both


def latin_ok(s):
    a = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return a if re.fullmatch(r"[A-Za-z][A-Za-z' -]+", a) else None


def main():
    places = []
    with gzip.open(os.path.join(SHARED, "gazetteer", "geonames-cities1000.tsv.gz"), "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            places.append(r)

    capitals = set()
    with open(os.path.join(SHARED, "gazetteer", "countries.tsv"), encoding="utf-8") as f:
        hdr = f.readline().rstrip("\n").split("\t")
        for line in f:
            c = dict(zip(hdr, line.rstrip("\n").split("\t")))
            capitals.add((c["iso2"], c["capital"]))

    def capital(r):
        return (r["country"], r["name"]) in capitals

    top, top500, both = common_words()
    out = []
    for r in places:
        pop = int(r["population"] or 0)
        ar = []
        for n in r["arabic_names"].split("|"):
            n = n.strip()
            # Standard Arabic letters only (not Persian/Uyghur spellings).
            if len(norm(n)) < 2 or not ARABIC_NAME.fullmatch(n):
                continue
            # Arabic never begins a word with `ئ` (Uyghur spelling does).
            if any(w.startswith("ئ") for w in n.split()):
                continue
            key = norm(n)
            key_noart = key[2:] if key.startswith("ال") else key
            single = " " not in key
            letters = len(key_noart)
            if single and letters <= 2:
                continue
            frequent = key in top or key_noart in top
            very_frequent = key in top500 or key_noart in top500
            amb = single and (key in both or key_noart in both)
            if single and not capital(r):
                if very_frequent and pop < 300_000:
                    amb = True
                if frequent and (pop < 100_000 or (letters <= 3 and pop < 300_000)):
                    amb = True
            # Ambiguous names are kept, marked `?`: they count only with
            # evidence (a settlement noun before them, the tagger's LOC).
            n = "?" + n if amb else n
            if n not in ar:
                ar.append(n)
        lat = []
        if r["country"] in LATIN_COUNTRIES:
            for n in [r["name"]] + r["other_names"].split("|"):
                a = latin_ok(n)
                if a and a not in lat and len(a) >= 3:
                    lat.append(a)
            lat = lat[:6]
        if not ar and not lat:
            continue
        out.append([r["geonameid"], r["name"], r["latitude"], r["longitude"], r["country"],
                    r["admin1"], str(pop), "|".join(ar), "|".join(lat)])
    with open(os.path.join(DATA, "places.tsv"), "w", encoding="utf-8") as f:
        f.write("# Built by scripts/build_gazetteer.py from GeoNames cities1000 (CC BY 4.0). Do not edit.\n")
        f.write("# geonameid\tname\tlat\tlon\tcountry\tadmin1\tpopulation\tarabic_names\tlatin_names\n")
        for row in out:
            f.write("\t".join(row) + "\n")

    # Countries.
    by_cc_name = {}
    for r in places:
        k = (r["country"], r["name"])
        if k not in by_cc_name or int(r["population"] or 0) > int(by_cc_name[k]["population"] or 0):
            by_cc_name[k] = r
    towns = collections.defaultdict(list)
    for r in places:
        towns[r["country"]].append((float(r["latitude"]), float(r["longitude"])))
    base = {}
    with open(os.path.join(DATA, "country_base.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            base[cols[0]] = cols
    rows = []
    with open(os.path.join(SHARED, "gazetteer", "countries.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            cc = r["iso2"]
            names = []
            if cc in base:
                names = [n for n in base[cc][1].split("|") if n != "-"]
            for n in (r["arabic_name"], r["arabic_official_name"]):
                n = n.split("،")[0].split(",")[0].strip()
                if n and "(" not in n and n not in names:
                    names.append(n)
            adj, plural, amb = [], [], []
            if cc in base:
                b = base[cc]
                for n in b[1].split("|"):
                    if n != "-" and n not in names:
                        names.append(n)
                for stem in b[2].split("|"):
                    if stem == "-":
                        continue
                    for suf, lst in (("ي", adj), ("ية", adj), ("يين", plural), ("يون", plural)):
                        for form in (stem + suf, "ال" + stem + suf):
                            if form not in lst:
                                lst.append(form)
                for bp in b[3].split("|"):
                    if bp != "-":
                        plural.append(bp)
                amb = [x for x in b[4].split("|") if x != "-"]
            if not names:
                continue
            # The country's point: the mean position of its populated places
            # (a centroid of where people live, inside the country for all
            # but oddly shaped ones); the capital when it has none.
            pts = towns.get(cc)
            if pts:
                lat = "%.4f" % (sum(p[0] for p in pts) / len(pts))
                lon = "%.4f" % (sum(p[1] for p in pts) / len(pts))
            else:
                cap = by_cc_name.get((cc, r["capital"]))
                lat, lon = (cap["latitude"], cap["longitude"]) if cap else ("", "")
            rows.append(["gpe:" + cc, cc, r["iso3"], lat, lon, "|".join(names), "|".join(adj),
                         "|".join(plural), "|".join(amb), r["name"]])
    with open(os.path.join(DATA, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("# Built by scripts/build_gazetteer.py from ../shared/gazetteer/countries.tsv (GeoNames, iso-codes)\n")
        f.write("# and data/country_base.tsv. Do not edit; edit country_base.tsv and rerun.\n")
        f.write("# id\tiso2\tiso3\tlat\tlon\tnames\tnisba_adj\tnorp_plural\tambiguous\tenglish\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"places: {len(out)}, countries: {len(rows)}", file=sys.stderr)


if __name__ == "__main__":
    main()
