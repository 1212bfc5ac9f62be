"""Import PETRARCH / Phoenix (TABARI-style) actor dictionaries into sitrep's people TSV.

Input lines (comments start with ``#`` or ``<``; blank lines ignored)::

    BARACK_OBAMA_ [USAELI]          a new actor, optionally with a code on the same line
    +BARACK_HUSSEIN_OBAMA_          an alias of the actor above
    [USAGOV 090120-170120]          a dated code: yymmdd-yymmdd, >yymmdd (from), <yymmdd (until)

Each code ``CCCSSS...`` becomes a role with organisation ``CCC`` (ISO3 or CAMEO IGO/NGO
prefix) and sector ``SSS``; two-digit years 50-99 are 19xx, 00-49 are 20xx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.errors import Errors, SitrepError

_CODE = re.compile(r"\[\s*([A-Z0-9~]{3,})\s*([<>]?\d{6})?\s*(?:-\s*(\d{6})?)?\s*\]")


@dataclass(slots=True)
class PetrarchActor:
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[tuple[str, str, str, str]] = field(default_factory=list)  # org, sector, start, end


def _date(value: str, path: Path, line: int) -> str:
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:6])
    if not (1 <= mm <= 12 and 1 <= dd <= 31):
        raise SitrepError(Errors.E102, path=path, line=line, detail=f"bad date {value!r}")
    year = 1900 + yy if yy >= 50 else 2000 + yy
    return f"{year:04d}-{mm:02d}-{dd:02d}"


def _phrase(token: str) -> str:
    words = token.strip().strip("_").replace("_", " ").split()
    return " ".join(w if any(c.islower() for c in w) else w.capitalize() for w in words)


def _roles(text: str, path: Path, line: int) -> list[tuple[str, str, str, str]]:
    out = []
    for m in _CODE.finditer(text):
        code, first, second = m.group(1).lstrip("~"), m.group(2), m.group(3)
        start = end = ""
        if first:
            if first.startswith("<"):
                end = _date(first[1:], path, line)
            elif first.startswith(">"):
                start = _date(first[1:], path, line)
            else:
                start = _date(first, path, line)
                if second:
                    end = _date(second, path, line)
        if len(code) < 3:
            continue
        out.append((code[:3], code[3:6], start, end))
    return out


def parse_petrarch(path: Path) -> list[PetrarchActor]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as err:
        raise SitrepError(Errors.E102, path=path, line=0, detail=str(err)) from None
    actors: list[PetrarchActor] = []
    for n, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("<"):
            continue
        if stripped.startswith("+"):
            if not actors:
                raise SitrepError(Errors.E102, path=path, line=n, detail="alias before any actor")
            body = _CODE.sub("", stripped[1:]).strip()
            if body:
                actors[-1].aliases.append(_phrase(body))
            actors[-1].roles.extend(_roles(stripped, path, n))
        elif stripped.startswith("["):
            if not actors:
                raise SitrepError(Errors.E102, path=path, line=n, detail="code before any actor")
            roles = _roles(stripped, path, n)
            if not roles:
                raise SitrepError(Errors.E102, path=path, line=n, detail=f"bad code {stripped!r}")
            actors[-1].roles.extend(roles)
        else:
            body = _CODE.sub("", stripped).strip()
            if not body or not re.search(r"[A-Za-z]", body):
                raise SitrepError(
                    Errors.E102, path=path, line=n, detail=f"bad actor line {stripped!r}"
                )
            actors.append(PetrarchActor(_phrase(body), roles=_roles(stripped, path, n)))
    return actors


def _slug(name: str) -> str:
    return "petrarch:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def to_people_tsv(actors: list[PetrarchActor]) -> str:
    """The people-file text (see sitrep/data/actors/README.md) for imported actors."""
    rows = ["id\tname\tgender\taliases\troles"]
    seen: set[str] = set()
    for a in actors:
        pid = _slug(a.name)
        if pid in seen:
            continue
        seen.add(pid)
        aliases = "|".join(dict.fromkeys(x for x in a.aliases if x != a.name))
        roles = ";".join(f"{org},{sector},,{start},{end}" for org, sector, start, end in a.roles)
        rows.append(f"{pid}\t{a.name}\t\t{aliases}\t{roles}")
    return "\n".join(rows) + "\n"
