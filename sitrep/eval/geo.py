"""``sitrep eval geo``: place recognition and geocoding against TR-News-style XML.

Gold file (TR-News, Kamalloo & Rafiei 2018): ``<articles><article><text>`` with
``<toponyms><toponym><phrase/><start/><end/><gaztag geonameid=".."><lat/><lon/>``.
Some gold offsets are shifted by a few characters (counted on a differently encoded text):
a gold toponym whose offsets do not give its phrase is moved to the nearest occurrence of the
phrase within 40 characters. Toponyms without a ``gaztag`` cannot be scored and are counted
apart.

A gold toponym is *found* when a sitrep place mention overlaps its characters (the most
overlapping one is used). Scores, over found toponyms and over all gold toponyms:

* exact: the place's GeoNames id is the gold id;
* acc@161km: the place's coordinates lie within 161 km (100 miles) of the gold ones (an
  exact id match counts as within: our centre of a country or region may differ from the
  point GeoNames gives it).

TR-News marks adjectives of nationality ("Turkish" -> Turkey) as toponyms, so the evaluation
runs the place step with ``demonyms`` on (``--no-demonyms`` for the default pipeline's view),
and without the actors step, so that metonymic capitals ("Moscow said") count as the places
TR-News takes them to be.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from sitrep.errors import Errors, SitrepError
from sitrep.resolve.gazetteer import haversine_km

ACC_KM = 161.0


@dataclass(slots=True)
class GoldToponym:
    phrase: str
    start: int
    end: int
    geonames_id: int | None
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]


@dataclass(slots=True)
class GeoScores:
    articles: int = 0
    gold: int = 0  # scorable gold toponyms (with a gazetteer tag)
    untagged: int = 0
    realigned: int = 0
    found: int = 0
    exact: int = 0
    within: int = 0
    predicted: int = 0  # sitrep place mentions
    predicted_matching: int = 0  # ... that overlap a gold toponym
    seconds: float = 0.0
    errors: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("errors")
        data.update(
            recall=self.recall, precision=self.precision,
            exact_found=self.exact_found, acc161_found=self.acc161_found,
            exact_all=_ratio(self.exact, self.gold), acc161_all=_ratio(self.within, self.gold),
        )  # fmt: skip
        return data

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def precision(self) -> float:
        return _ratio(self.predicted_matching, self.predicted)

    @property
    def exact_found(self) -> float:
        return _ratio(self.exact, self.found)

    @property
    def acc161_found(self) -> float:
        return _ratio(self.within, self.found)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def load_gold(path: Path) -> tuple[list[GoldArticle], int, int]:
    """Parse the XML; returns the articles, untagged count and realigned count."""
    try:
        root = ElementTree.parse(str(path)).getroot()
    except FileNotFoundError:
        raise SitrepError(Errors.E150, path=path, detail="no such file") from None
    except (ElementTree.ParseError, DefusedXmlException) as err:
        raise SitrepError(Errors.E150, path=path, detail=f"not valid XML ({err})") from None
    articles, untagged, realigned = [], 0, 0
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        toponyms = []
        for top in art.iter("toponym"):
            phrase = (top.findtext("phrase") or "").strip()
            try:
                start, end = int(top.findtext("start") or ""), int(top.findtext("end") or "")
            except ValueError:
                raise SitrepError(Errors.E151, path=path, article=art.get("docid"),
                                  detail=f"bad offsets for {phrase!r}") from None  # fmt: skip
            tag = top.find("gaztag")
            if tag is None or not tag.get("geonameid"):
                untagged += 1
                continue
            if text[start:end] != phrase:
                near = _nearest(text, phrase, start)
                if near is None:
                    untagged += 1
                    continue
                start, end, realigned = near, near + len(phrase), realigned + 1
            toponyms.append(
                GoldToponym(
                    phrase,
                    start,
                    end,
                    int(tag.get("geonameid")),
                    _float(tag.findtext("lat")),
                    _float(tag.findtext("lon")),
                )
            )
        articles.append(GoldArticle(art.get("docid") or str(len(articles)), text, toponyms))
    if not articles:
        raise SitrepError(Errors.E150, path=path, detail="no <article> elements")
    return articles, untagged, realigned


def _nearest(text: str, phrase: str, start: int, window: int = 40) -> int | None:
    best = None
    pos = text.find(phrase, max(0, start - window))
    while pos != -1 and pos <= start + window:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(phrase, pos + 1)
    return best


def build_nlp(demonyms: bool = True):  # noqa: ANN201 - spaCy Language
    import spacy

    from sitrep.config import Config
    from sitrep.nlp.extensions import register_extensions
    from sitrep.resolve import places  # noqa: F401 - registers the factory

    register_extensions()
    nlp = spacy.load(Config().model)
    nlp.add_pipe("sitrep_places", config={"demonyms": demonyms})
    return nlp


def evaluate(path: Path, limit: int | None = None, demonyms: bool = True) -> GeoScores:
    articles, untagged, realigned = load_gold(path)
    if limit:
        articles = articles[:limit]
    scores = GeoScores(articles=len(articles), untagged=untagged, realigned=realigned)
    nlp = build_nlp(demonyms)
    t0 = time.perf_counter()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=16))
    scores.seconds = time.perf_counter() - t0
    for art, doc in zip(articles, docs, strict=True):
        places = {p.id: p for p in doc._.sitrep_places or []}
        spans = sorted((doc._.sitrep_place_spans or {}).items())
        scores.predicted += len(spans)
        gold_spans = [(g.start, g.end) for g in art.toponyms]
        scores.predicted_matching += sum(
            1 for (s, e), _ in spans if any(s < ge and gs < e for gs, ge in gold_spans)
        )
        for g in art.toponyms:
            scores.gold += 1
            best, overlap = None, 0
            for (s, e), pid in spans:
                ov = min(e, g.end) - max(s, g.start)
                if ov > overlap:
                    best, overlap = places.get(pid), ov
            error: dict[str, object] = {"article": art.id, "phrase": g.phrase,
                                        "gold": g.geonames_id}  # fmt: skip
            if best is None:
                scores.errors.append({**error, "error": "missed"})
                continue
            scores.found += 1
            if best.geonames_id == g.geonames_id:
                scores.exact += 1
            km = None
            if None not in (best.lat, best.lon, g.lat, g.lon):
                km = haversine_km(best.lat, best.lon, g.lat, g.lon)  # type: ignore[arg-type]
            # The same GeoNames place is at the gold coordinates, whatever centre we store.
            if best.geonames_id == g.geonames_id or (km is not None and km <= ACC_KM):
                scores.within += 1
            if best.geonames_id != g.geonames_id:
                scores.errors.append({**error, "error": "wrong", "system": best.name,
                                      "system_id": best.geonames_id,
                                      "km": round(km) if km is not None else None})  # fmt: skip
    return scores


def format_report(scores: GeoScores, path: Path) -> str:
    lines = [
        f"geo: {path} ({scores.articles} articles, {scores.gold} gold toponyms; "
        f"{scores.untagged} without a GeoNames tag skipped, {scores.realigned} offsets realigned)",
        f"  recall (gold toponyms found)   {scores.recall:6.1%}   ({scores.found}/{scores.gold})",
        f"  precision (mentions on gold)   {scores.precision:6.1%}   "
        f"({scores.predicted_matching}/{scores.predicted})",
        f"  exact GeoNames id, found       {scores.exact_found:6.1%}   ({scores.exact}/{scores.found})",
        f"  acc@161km, found               {scores.acc161_found:6.1%}   ({scores.within}/{scores.found})",
        f"  exact GeoNames id, all gold    {_ratio(scores.exact, scores.gold):6.1%}",
        f"  acc@161km, all gold            {_ratio(scores.within, scores.gold):6.1%}",
        f"  time                           {scores.seconds:.1f}s "
        f"({1000 * scores.seconds / max(1, scores.articles):.0f} ms/article, spaCy included)",
    ]
    return "\n".join(lines)


def _command():  # noqa: ANN202 - click command, built lazily so click stays a CLI concern
    import json

    import click

    @click.command("geo")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--limit", type=int, default=None, help="Only the first N articles.")
    @click.option(
        "--demonyms/--no-demonyms",
        default=True,
        show_default=True,
        help="Count nationality adjectives as toponyms (TR-News does).",
    )
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
    @click.option(
        "--errors",
        "show_errors",
        type=int,
        default=0,
        help="Also list the first N misses and wrong places.",
    )
    def geo_cmd(path: Path, limit: int | None, demonyms: bool, fmt: str, show_errors: int) -> None:
        """Place recognition and geocoding accuracy (exact GeoNames id, acc@161km) on
        TR-News-style XML, e.g. ../shared/dev/geo/TR-News.xml."""
        scores = evaluate(path, limit=limit, demonyms=demonyms)
        if fmt == "json":
            click.echo(json.dumps(scores.as_dict(), indent=2))
        else:
            click.echo(format_report(scores, path))
        for err in scores.errors[:show_errors]:
            click.echo(json.dumps(err, ensure_ascii=False))

    return geo_cmd


geo_cmd = _command()
