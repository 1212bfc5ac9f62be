"""The offline actor knowledge base: countries, sectors, titles, organisations and people.

Loaded once per process from the TSV files in ``sitrep/data/actors/`` (format in the README
there) plus any user files (``Config.kb_paths`` / ``--kb``). ``load_kb()`` is cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import Errors, SitrepError

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

PEOPLE_HEADER = ("id", "name", "gender", "aliases", "roles")
ORG_HEADER = ("id", "name", "kind", "country", "sector", "aliases")
COUNTRY_HEADER = ("iso3", "names", "demonyms", "metonyms")

_DASHES = re.compile(r"[\-‐‑‒–—/]+")
_DROP = re.compile(r"[.\u2019'`´\"“”,()]")
_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Lower-case, strip accents and punctuation, hyphens to spaces, drop a leading 'the'."""
    if text.isascii() and text.isalnum():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DASHES.sub(" ", text)
    text = _DROP.sub("", text).lower()
    text = _SPACES.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") else text


@functools.lru_cache(maxsize=65536)
def cached_norm(text: str) -> str:
    """``norm(text)``, remembered: for words and short phrases read again in every article."""
    return norm(text)


def is_acronym(alias: str) -> bool:
    """Short all-capital aliases (UN, EU, WHO, US) only match text written the same way."""
    bare = alias.replace(".", "").replace("-", "")
    return bare.isupper() and len(bare) <= 5


def parse_date(value: str, end: bool = False) -> dt.date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; partial dates open to the period's start/end."""
    value = value.strip()
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    if len(parts) == 2:
        if end:
            nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(parts[0], parts[1], 1)
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class Role:
    """A position held between two dates (open ends allowed)."""

    org: str  # ISO3 country code or organisation id (IGO-UN)
    sector: str
    title: str
    leader: bool = False  # this role makes its holder "the <country> leader"
    start: dt.date | None = None
    end: dt.date | None = None

    def active(self, on: dt.date | None) -> bool:
        if on is None:  # no article date: the current (open-ended) roles
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(slots=True)
class Entry:
    """One knowledge-base actor."""

    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    gender: str | None = None

    def role_on(self, on: dt.date | None) -> Role | None:
        """The role held on ``on`` (the last listed of those held), else the latest one."""
        active = [r for r in self.roles if r.active(on)]
        if active:
            return active[-1]
        if not self.roles:
            return None
        return max(self.roles, key=lambda r: r.start or dt.date.min)


@dataclass(slots=True)
class Country:
    iso3: str
    name: str
    demonym: str | None = None


@dataclass(slots=True, eq=False)
class KnowledgeBase:
    entries: dict[str, Entry] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # norm alias -> entry ids
    acronyms: dict[str, list[str]] = field(default_factory=dict)  # exact-case alias -> ids
    demonyms: dict[str, str] = field(default_factory=dict)  # norm demonym -> ISO3
    metonyms: dict[str, tuple[str, str, bool]] = field(
        default_factory=dict
    )  # -> iso3, sector, building
    sector_nouns: dict[str, str] = field(default_factory=dict)  # norm noun -> sector code
    sector_kinds: dict[str, str] = field(default_factory=dict)  # code -> actor kind
    sector_labels: dict[str, str] = field(default_factory=dict)  # code -> "military", ...
    titles: dict[str, str] = field(default_factory=dict)  # norm phrase -> canonical title
    first_words: dict[str, int] = field(default_factory=dict)  # first word -> longest alias (words)
    surnames: dict[str, list[str]] = field(default_factory=dict)  # norm last name -> person ids
    # (title or "leader", org or None) -> people who held such a role at any date, in entry
    # order; built on first use, dropped by ``add`` (``holders`` ran over every person)
    _by_title: dict[tuple[str, str | None], list[Entry]] | None = field(default=None, repr=False)
    # holders() answers by (title, org, date): the same titles recur in every article
    _held: dict[tuple[str, str | None, dt.date | None], list[Entry]] = field(
        default_factory=dict, repr=False
    )

    # -- building -------------------------------------------------------------------------
    def add(self, entry: Entry, names: Iterable[str] = ()) -> None:
        old = self.entries.get(entry.id)
        if old is not None and entry.kind == "person":
            entry.name = old.name
            entry.aliases = tuple(dict.fromkeys(old.aliases + entry.aliases))
            entry.roles = old.roles + entry.roles
            entry.gender = entry.gender or old.gender
            if old.roles:
                entry.country, entry.sector = old.country, old.sector
        self.entries[entry.id] = entry
        self._by_title = None
        self._held.clear()
        if entry.kind == "person":
            last = norm(entry.name).split()[-1]
            ids = self.surnames.setdefault(last, [])
            if entry.id not in ids:
                ids.append(entry.id)
        for alias in (entry.name, *entry.aliases, *names):
            self.add_alias(alias, entry.id)

    def add_alias(self, alias: str, entry_id: str) -> None:
        if not alias.strip():
            return
        if is_acronym(alias):
            ids = self.acronyms.setdefault(alias.replace(".", ""), [])
            if entry_id not in ids:
                ids.append(entry_id)
        key = norm(alias)
        if not key:
            return
        if is_acronym(alias) and len(key) <= 3:
            return  # "US", "UN", "EU": exact case only, never the lower-case word
        ids = self.aliases.setdefault(key, [])
        if entry_id not in ids:
            ids.append(entry_id)
        words = key.split()
        self.first_words[words[0]] = max(self.first_words.get(words[0], 0), len(words))

    # -- queries ---------------------------------------------------------------------------
    def lookup(self, name: str) -> list[Entry]:
        ids = self.acronyms.get(name.replace(".", ""), []) if is_acronym(name) else []
        ids = ids + [i for i in self.aliases.get(norm(name), []) if i not in ids]
        return [self.entries[i] for i in ids]

    def holders(self, title: str, org: str | None, on: dt.date | None) -> list[Entry]:
        """People holding ``title`` (or a leader role when title is 'leader') for ``org``."""
        key = (title, org, on)
        out = self._held.get(key)
        if out is None:
            if len(self._held) >= _HELD_MAX:
                self._held.clear()
            out = self._held[key] = self._holders(title, org, on)
        return list(out)

    def _holders(self, title: str, org: str | None, on: dt.date | None) -> list[Entry]:
        out = []
        for entry in self._title_holders().get((title, org), ()):
            for role in entry.roles:
                if org is not None and role.org != org:
                    continue
                if title == "leader":
                    if not role.leader:
                        continue
                elif role.title != title:
                    continue
                if role.active(on):
                    out.append(entry)
                    break
        return out

    def _title_holders(self) -> dict[tuple[str, str | None], list[Entry]]:
        if self._by_title is None:
            index: dict[tuple[str, str | None], list[Entry]] = {}
            for entry in self.people():
                keys = set()
                for r in entry.roles:
                    for title in (r.title, "leader") if r.leader else (r.title,):
                        keys.update(((title, r.org), (title, None)))
                for key in keys:
                    index.setdefault(key, []).append(entry)
            self._by_title = index
        return self._by_title

    def people(self) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind == "person")

    def sector_actor(self, iso3: str, sector: str | None) -> Entry:
        """The entry for a country (sector None) or one of its sectors, made on demand."""
        key = f"{iso3}-{sector}" if sector else iso3
        entry = self.entries.get(key)
        if entry is None:
            country = self.countries.get(iso3)
            cname = country.name if country else iso3
            adj = country.demonym if country and country.demonym else cname
            kind = self.sector_kinds.get(sector or "", "group")
            label = self.sector_labels.get(sector or "", (sector or "").lower())
            entry = Entry(key, f"{adj} {label}", kind, iso3, sector)
            self.entries[key] = entry
        return entry


_HELD_MAX = 8192  # cached holders() answers kept at most (then the cache starts afresh)


# -- file readers -----------------------------------------------------------------------------


def _rows(path: Path) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SitrepError(Errors.E100, path=path, detail=str(err)) from None
    header: tuple[str, ...] = ()
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            header = tuple(c.strip().lower() for c in cells)
            continue
        rows.append((n, cells + [""] * (len(header) - len(cells))))
    return header, rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def parse_roles(cell: str, path: Path | str = "", line: int = 0) -> tuple[Role, ...]:
    """``ORG,SECTOR,title[!],start,end;...`` (see data/actors/README.md)."""
    roles = []
    for chunk in cell.split(";"):
        if not chunk.strip():
            continue
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) != 5:
            raise SitrepError(Errors.E101, path=path, line=line, detail=f"bad role {chunk!r}")
        org, sector, title, start, end = parts
        try:
            d0, d1 = parse_date(start), parse_date(end, end=True)
        except ValueError:
            raise SitrepError(
                Errors.E101, path=path, line=line, detail=f"bad date in role {chunk!r}"
            ) from None
        leader = title.endswith("!")
        roles.append(Role(org, sector, title.rstrip("!").lower(), leader, d0, d1))
    return tuple(roles)


def load_people(kb: KnowledgeBase, path: Path, rows: list[tuple[int, list[str]]]) -> None:
    for n, cells in rows:
        pid, name, gender, aliases, roles = (c.strip() for c in cells[:5])
        if not pid or not name:
            raise SitrepError(Errors.E101, path=path, line=n, detail="id and name are required")
        parsed = parse_roles(roles, path, n)
        same = [i for i in kb.aliases.get(norm(name), ()) if kb.entries[i].kind == "person"]
        if same and pid not in kb.entries:
            pid = same[0]  # a user or imported file adding to a person already known
        entry = Entry(
            pid,
            name,
            "person",
            aliases=_split(aliases),
            roles=parsed,
            gender=gender.lower() or None,
        )
        latest = entry.role_on(None)
        if latest is not None:
            org = kb.entries.get(latest.org)
            entry.country = org.country if org else (latest.org if len(latest.org) == 3 else None)
            entry.sector = latest.sector
        kb.add(entry)


def load_orgs(kb: KnowledgeBase, path: Path, rows: list[tuple[int, list[str]]]) -> None:
    for n, cells in rows:
        oid, name, kind, country, sector, aliases = (c.strip() for c in cells[:6])
        if not oid or not name:
            raise SitrepError(Errors.E101, path=path, line=n, detail="id and name are required")
        if sector and sector == country:
            sector = ""  # CAMEO: the IGO/NGO/IMG code stands in the country slot, not twice
        kb.add(
            Entry(
                oid, name, kind or "organization", country or None, sector or None, _split(aliases)
            )
        )


def load_countries(kb: KnowledgeBase, path: Path, rows: list[tuple[int, list[str]]]) -> None:
    for _n, cells in rows:
        iso3, names, demonyms, metonyms = (c.strip() for c in cells[:4])
        iso3 = iso3.upper()
        names_t, dems = _split(names), _split(demonyms)
        country = kb.countries.get(iso3)
        if country is None:
            country = kb.countries[iso3] = Country(iso3, names_t[0] if names_t else iso3)
        if dems and not country.demonym:
            country.demonym = dems[0]
        entry = kb.sector_actor(iso3, None)
        entry.kind, entry.name = "country", country.name
        for alias in names_t:
            kb.add_alias(alias, iso3)
        for dem in dems:
            key = norm(dem)
            kb.demonyms.setdefault(key, iso3)
            first = key.split()
            kb.first_words[first[0]] = max(kb.first_words.get(first[0], 0), len(first))
        for met in _split(metonyms):
            place, _, sector = met.partition("=")
            building = not _is_city(place)
            kb.metonyms[norm(place)] = (iso3, sector or "GOV", building)
            key = norm(place).split()
            kb.first_words[key[0]] = max(kb.first_words.get(key[0], 0), len(key))


_BUILDING_WORDS = (
    "house",
    "kremlin",
    "pentagon",
    "street",
    "palace",
    "department",
    "hall",
    "bottom",
    "hill",
    "capitol",
    "duma",
    "bundestag",
    "knesset",
    "chancellery",
    "bankova",
    "whitehall",
    "westminster",
    "orsay",
    "planalto",
    "elysee",
    "moncloa",
    "chigi",
    "rosada",
    "miraflores",
    "malacanang",
    "somalia",
    "zhongnanhai",
    "no 10",
    "number 10",
    "rawalpindi",
)


def _is_city(name: str) -> bool:
    key = norm(name)
    return not any(w in key for w in _BUILDING_WORDS)


def load_file(kb: KnowledgeBase, path: Path) -> None:
    header, rows = _rows(path)
    if header[: len(PEOPLE_HEADER)] == PEOPLE_HEADER:
        load_people(kb, path, rows)
    elif header[: len(ORG_HEADER)] == ORG_HEADER:
        load_orgs(kb, path, rows)
    elif header[: len(COUNTRY_HEADER)] == COUNTRY_HEADER:
        load_countries(kb, path, rows)
    else:
        raise SitrepError(
            Errors.E100, path=path, detail="unknown header (see data/actors/README.md)"
        )


def _load_pycountry(kb: KnowledgeBase) -> None:
    import pycountry

    for c in pycountry.countries:
        iso3 = c.alpha_3
        name = getattr(c, "common_name", None) or c.name
        kb.countries[iso3] = Country(iso3, name)
        entry = kb.sector_actor(iso3, None)
        entry.kind, entry.name = "country", name
        for alias in (c.name, name, getattr(c, "official_name", "")):
            if alias and "," not in alias:
                kb.add_alias(alias, iso3)


def _load_lexicons(kb: KnowledgeBase) -> None:
    _h, rows = _rows(DATA_DIR / "sectors.tsv")
    for _n, (code, kind, label, nouns, *_rest) in rows:
        kb.sector_kinds[code] = kind
        kb.sector_labels[code] = label
        for noun in _split(nouns):
            kb.sector_nouns.setdefault(norm(noun), code)
    _h, rows = _rows(DATA_DIR / "titles.tsv")
    for _n, (title, phrases, *_rest) in rows:
        for phrase in _split(phrases):
            kb.titles[norm(phrase)] = title
    for code, kind in (
        ("IGO", "organization"),
        ("NGO", "organization"),
        ("SPY", "government"),
        ("PTY", "organization"),
    ):
        kb.sector_kinds.setdefault(code, kind)


def _expand(paths: Iterable[str]) -> list[Path]:
    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(path.glob("*.tsv")))
        elif path.exists():
            out.append(path)
        else:
            raise SitrepError(Errors.E100, path=path, detail="no such file or directory")
    return out


def load_kb(extra: tuple[str, ...] = ()) -> KnowledgeBase:
    """The knowledge base (built once per process and set of extra files)."""
    # One cache key per set of files: ``load_kb()`` and ``load_kb(())`` are the same KB
    # (a cache on this function would build it twice).
    return _load_kb(tuple(extra))


@functools.lru_cache(maxsize=4)
def _load_kb(extra: tuple[str, ...]) -> KnowledgeBase:
    kb = KnowledgeBase()
    _load_pycountry(kb)
    _load_lexicons(kb)
    for name in ("countries.tsv", "organizations.tsv", "people.tsv"):
        load_file(kb, DATA_DIR / name)
    for path in _expand(extra):
        load_file(kb, path)
    log.debug("actor KB: %d entries, %d aliases", len(kb.entries), len(kb.aliases))
    return kb
