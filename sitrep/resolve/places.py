"""Place recognition and geocoding: gazetteer matching over tokens, decided by context.

Recognition does not trust ``doc.ents`` alone (the small model tags "Kiev" as PERSON on
machine-translated text): every capitalised token n-gram is looked up in the gazetteer
(``sitrep.resolve.gazetteer``), and the NER labels only help decide doubtful matches.

Disambiguation is by the article's context, not population alone. Each candidate gets
a prior (kind of place, population, national capital, how its name matched; a country's
name means the country) plus:

* country focus: the share of the article's unambiguous place evidence in its country;
* admin1 focus: a region named in the article ("Paris" beside "Texas");
* "X, Y" apposition: "Paris, Texas", "Kharkiv, Ukraine", and through it small towns
  ("Edmonton, Ky.") that the main index leaves out;
* distance to the article's unambiguous places (for a region: those lying in it).

One name is one place within an article. Lists count: "the Sumy, Kharkiv and Donetsk
regions" and "the regions of Kherson and Donetsk" make every member a region. A name the
gazetteer does not know (a misspelling such as "Luchsk" in a list of oblasts) is matched by
string similarity among places of the kind and countries of its list neighbours.
Capital-as-government metonyms found by the actors step (``doc._.sitrep_metonyms``) are
skipped. Output: ``doc._.sitrep_places`` (list[Place]) and ``doc._.sitrep_place_spans``.
"""

import bisect
import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Doc

from sitrep.nlp.text import DocTokens, doc_ents, doc_text, doc_tokens
from sitrep.records import Place, Span
from sitrep.resolve.gazetteer import (
    REGION_SUFFIXES,
    Entry,
    Gazetteer,
    gazetteer,
    normalize,
    strip_region_suffix,
)

MAX_NGRAM = 6
LIST_JOINERS = {",", "and", "or", "&", ";"}
LOCATIVES = {
    "in", "at", "near", "from", "to", "into", "across", "outside", "around", "toward",
    "towards", "via", "throughout", "inside", "within", "of", "between", "over", "on",
}  # fmt: skip
PLURAL_SUFFIXES = {
    "regions": "region", "oblasts": "oblast", "provinces": "province",
    "governorates": "governorate", "states": "state", "districts": "district",
    "counties": "county", "raions": "raion",
}  # fmt: skip
SUBREGION_SUFFIXES = {"county", "district", "raion", "rayon"}
# Capitalised words that are place names somewhere but mostly something else.
NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}  # fmt: skip
BLOCKING_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "FAC", "NORP"}
PLACE_LABELS = {"GPE", "LOC"}
HOW_BONUS = {"name": 0.0, "alias": 0.0, "alt": -0.3, "demonym": 0.0, "fuzzy": 0.0}
# A region named bare ("Quebec", "Idlib", "Wyoming") means the region unless its namesake city
# is very large (about 2.5 million: "New York") or the context says otherwise.
FEATURE_PRIOR = {"country": 3.0, "continent": 2.5, "admin1": 2.4, "region": 2.0, "water": 2.0}


@dataclass(slots=True)
class Mention:
    start: int  # character offsets in the text
    end: int
    t0: int  # token offsets
    t1: int
    key: str
    candidates: list[tuple[Entry, str]]
    label: str | None = None  # NER label of an overlapping place entity
    chosen: Entry | None = None
    list_neighbours: list["Mention"] = field(default_factory=list)


# ``normalize`` for the n-grams tried at every capitalised token (names recur across stories)
_normalized = functools.lru_cache(maxsize=65536)(normalize)


def _prior(entry: Entry, how: str) -> float:
    if entry.feature in ("city", "admin2"):
        base = 0.8 + 0.25 * math.log10(max(entry.population, 1000))
        if entry.capital:
            base += 0.5  # "Rome" is Rome, Italy even in an article full of Americans
    elif entry.namesake:
        base = 2.0  # "Geneva", "Herat": the city, unless the article's places lie around it
    else:
        base = FEATURE_PRIOR.get(entry.feature, 1.5)
    return base + HOW_BONUS.get(how, 0.0)


def _strong(candidates: list[tuple[Entry, str]]) -> bool:
    """A name that is a place whatever the NER says: a country, region or large city."""
    for e, how in candidates:
        if e.feature != "city" or how == "alias" or e.population >= 100_000:
            return True
    return False


class PlaceResolver:
    def __init__(self, demonyms: bool = False, min_city_population: int = 5000) -> None:
        self.demonyms = demonyms
        self.min_city_population = min_city_population

    @property
    def gaz(self) -> Gazetteer:
        return gazetteer(self.min_city_population)

    def preload(self) -> None:
        """Build the gazetteer's lazily built tables now (see ``preload_tables``)."""
        self.gaz.preload()

    # -- recognition ------------------------------------------------------------------------
    def _match(
        self, doc: Doc, tk: DocTokens, ents: list[tuple[int, int, str, int, int]],
        skip: set[tuple[int, int]],
    ) -> list[Mention]:  # fmt: skip
        gaz = self.gaz
        text = tk.text
        mentions: list[Mention] = []
        ent_at: list[tuple[int, int, str] | None] = [None] * len(doc)
        for e0, e1, label, _, _ in ents:
            for t in range(e0, e1):
                ent_at[t] = (e0, e1, label)
        # token offsets, texts and sentence starts read once, not a Token per n-gram
        starts, ends, texts, lowers = tk.starts, tk.ends, tk.texts, tk.lowers
        sent_starts, index = tk.sent_starts, gaz.index
        # In ASCII text a name's key starts with the normalised words at its first token:
        # n-grams reaching past a first word (or first two words) that no indexed name starts
        # with are not looked up (``Gazetteer.name_end_limit``).
        ascii_text = text.isascii()
        n = len(doc)
        resume = 0  # the token after the last match: names do not overlap
        for i in tk.capitalised:
            if i < resume:
                continue
            tok_text, tok_idx = texts[i], starts[i]
            found = None
            if lowers[i] in NOT_PLACES:
                continue
            if "-" in tok_text[1:] and not gaz.lookup(normalize(tok_text)):
                # "U.S.-led", "Russia-backed", "Kyiv-based": the name before the hyphen.
                head = tok_text[: tok_text.index("-", 1)]
                cands = gaz.lookup(normalize(head))
                if cands and _strong(cands):
                    m = Mention(tok_idx, tok_idx + len(head), i, i + 1, normalize(head), cands)
                    if not any(a < m.end and m.start < b for a, b in skip):
                        mentions.append(m)
                    continue
            j_max = min(n, i + MAX_NGRAM)  # the n-grams tried end at tokens i .. j_max - 1
            if ascii_text:  # and before the first that ends at or past the limit
                j_max = _ngrams_end(gaz, text, tk, i, j_max)
            cue = _cue_before(lowers, i) if j_max > i else None
            for j in range(j_max, i, -1):
                last = texts[j - 1]
                if j - 1 > i and (sent_starts[j - 1] or not last[-1:].isalnum()
                                  and last[-1:] != "."):  # fmt: skip
                    continue  # never end on a newline or a dash ("Baghdad\n", "TRINIDAD-")
                end = ends[j - 1]
                key = _normalized(text[tok_idx:end])
                # "the state of Borno", "the province of Kasai": the region, also where the
                # name alone is no place, a town elsewhere or too common a word.
                if cue:
                    cands = gaz.lookup(f"{key} {cue}") or gaz.lookup(key)
                elif key in index:  # most n-grams are no name: no list built for them
                    cands = gaz.lookup(key)
                else:
                    continue
                if cands:
                    found = (j, end, key, cands)
                    break
            if found is not None and not self.demonyms and found[2] in gaz.demonyms:
                found = None  # "Ukrainian" is no town (Ukrayinka), whatever GeoNames says
            if found is None and self.demonyms:
                found = self._demonym(doc, i)
            if found is None:
                continue
            j, end, key, cands = found
            # "Kharkiv region", "Idlib province": take the suffix into the mention.
            if j < n and lowers[j] in REGION_SUFFIXES:
                longer = gaz.lookup(f"{key} {lowers[j]}")
                if (not longer and lowers[j] in SUBREGION_SUFFIXES
                        and all(e.feature == "city" for e, _ in cands)):  # fmt: skip
                    # "Lamar County", "Bakhmut raion": a district the gazetteer lacks, named
                    # after a town: one candidate district around each town of that name.
                    name = text[tok_idx : ends[j]]
                    longer = [(_district(e, name), how) for e, how in cands]
                if longer:
                    end = ends[j]
                    key, cands, j = f"{key} {lowers[j]}", longer, j + 1
            span = (tok_idx, end)
            if not any(a < span[1] and span[0] < b for a, b in skip):
                m = Mention(tok_idx, end, i, j, key, cands)
                if self._keep(tk, m, ent_at):
                    mentions.append(m)
            resume = j
        return mentions

    def _demonym(self, doc: Doc, i: int) -> tuple[int, int, str, list[tuple[Entry, str]]] | None:
        gaz = self.gaz
        for j in (i + 2, i + 1):
            if j > len(doc):
                continue
            end = doc[j - 1].idx + len(doc[j - 1].text)
            key = normalize(doc_text(doc)[doc[i].idx : end])
            idx = gaz.demonyms.get(key)
            if idx is not None:
                return j, end, key, [(gaz.entries[idx], "demonym")]
        return None

    def _keep(self, tk: DocTokens, m: Mention, ent_at: list) -> bool:
        """Decide a match with the NER's help; a strong place name survives a wrong label."""
        ents = {ent_at[t] for t in range(m.t0, m.t1)} - {None}
        labels = {label for _, _, label in ents}
        if labels & PLACE_LABELS:
            m.label = next(iter(labels & PLACE_LABELS))
            return True
        if m.candidates[0][1] == "demonym":
            return True
        lowers = tk.lowers
        if labels & BLOCKING_LABELS:
            # "the Boucle du Mouhoun" (ORG) is no longer name for a world region.
            the = all(e.world for e, _ in m.candidates)
            if any(a < m.t0 and not (the and a == m.t0 - 1 and lowers[a] == "the")
                   or b > m.t1 for a, b, _ in ents):  # fmt: skip
                # Inside a longer name: "Paris Hilton" and "Washington Post" are no places,
                # but "Environment Canada", "Texas A&M" and "University of Toronto" name one.
                if "PERSON" in labels:
                    return False
                if any(e.feature == "country" or e.feature == "admin1" and not e.world
                       for e, _ in m.candidates):  # fmt: skip
                    return True
                return m.t0 > 0 and lowers[m.t0 - 1] == "of" and _strong(m.candidates)
            if ("PERSON" in labels and all(e.world for e, _ in m.candidates)
                    and lowers[m.t1 - 1] not in REGION_SUFFIXES
                    and _cue_before(lowers, m.t0) is None):  # fmt: skip
                return False  # a bare name from the world list is no match for a person's
            return _strong(m.candidates)
        if m.t1 - m.t0 == 1 and tk.pos[m.t0] != PROPN and not _dateline(tk, m):
            return False  # "Nice", "Police", "Split" as ordinary words
        texts, sent_starts = tk.texts, tk.sent_starts
        prev = m.t0 - 1 if m.t0 > 0 else None
        nxt = m.t1 if m.t1 < len(texts) else None
        if all(e.feature == "city" for e, _ in m.candidates) and (
            (prev is not None and texts[prev][:1].isupper() and not sent_starts[prev])
            or (nxt is not None and tk.is_alpha[nxt] and texts[nxt][:1].isupper()
                and not sent_starts[nxt])
        ):  # fmt: skip
            return False  # part of a longer name: "Cheung Kong", "Drug Act", "Paris Saint"
        if _strong(m.candidates):
            return True
        if not any(how in ("name", "alias") for _, how in m.candidates):
            return False  # a small town's old or foreign name, with no NER support
        return m.t0 > 0 and lowers[m.t0 - 1] in LOCATIVES

    def _small_towns(
        self, tk: DocTokens, mentions: list[Mention], skip: set[tuple[int, int]]
    ) -> list[Mention]:
        """'Edmonton, Ky.', 'Bantam, Conn.': a town too small for the main index, found in
        the region named right after it (or added as a candidate when the name is known only
        elsewhere)."""
        gaz = self.gaz
        by_end = {m.t1: m for m in mentions}
        added = []
        texts, starts, ends = tk.texts, tk.starts, tk.ends
        for r in mentions:
            if r.t0 < 2 or texts[r.t0 - 1] != ",":
                continue
            regions = {e.admin1 if e.feature == "admin1" else e.cc for e, _ in r.candidates
                       if e.feature in ("admin1", "country")}  # fmt: skip
            if not regions or len(regions) != len(r.candidates):
                continue
            regions.discard(None)
            prev = by_end.get(r.t0 - 1)
            if prev is not None:
                if any(e.cc in regions or e.admin1 in regions for e, _ in prev.candidates):
                    continue
                for region in regions:
                    prev.candidates += [(e, "name") for e in gaz.small_towns(prev.key, region)]
                continue
            end_tok = r.t0 - 1
            for t0 in range(max(0, end_tok - 3), end_tok):
                if not all(texts[t][:1].isupper() for t in range(t0, end_tok)):
                    continue
                start, end = starts[t0], ends[end_tok - 1]
                if any(a < end and start < b for a, b in skip):
                    break
                key = normalize(tk.text[start:end])
                towns = [e for region in regions for e in gaz.small_towns(key, region)]
                if towns:
                    added.append(Mention(start, end, t0, end_tok, key,
                                         [(e, "name") for e in towns]))  # fmt: skip
                    break
        return sorted(mentions + added, key=lambda m: m.t0) if added else mentions

    # -- context ----------------------------------------------------------------------------
    def _link_lists(self, tk: DocTokens, mentions: list[Mention]) -> None:
        """Mentions joined by commas/and/or are neighbours; 'A, B and C regions' are regions."""
        gaz = self.gaz
        lowers, texts, alpha = tk.lowers, tk.texts, tk.is_alpha
        groups: list[list[Mention]] = []
        for prev, cur in zip(mentions, mentions[1:], strict=False):
            if prev.t1 >= cur.t0 or lowers[prev.t1] not in LIST_JOINERS:
                continue
            # Joiners, possibly around one unknown name ("Sumy, Luchsk and Donetsk").
            unknown = []
            for t in range(prev.t1, cur.t0):
                if lowers[t] not in LIST_JOINERS:
                    unknown.append(t)
                    if len(unknown) > 1:
                        break
            if len(unknown) <= 1 and all(texts[t][:1].isupper() and alpha[t] for t in unknown):
                if groups and groups[-1][-1] is prev:
                    groups[-1].append(cur)
                else:
                    groups.append([prev, cur])
        listed = {id(m) for g in groups for m in g}  # (no two mentions are equal: by identity)
        singles = [[m] for m in mentions if id(m) not in listed]
        for group in groups + singles:
            for m in group:
                m.list_neighbours = [o for o in group if o is not m]
            first, last = group[0], group[-1]
            suffix = None
            if last.t1 < len(lowers) and lowers[last.t1] in PLURAL_SUFFIXES and len(group) > 1:
                suffix = PLURAL_SUFFIXES[lowers[last.t1]]  # "Sumy and Kharkiv regions"
            elif first.t0 >= 2 and lowers[first.t0 - 1] == "of":
                word = lowers[first.t0 - 2]  # "the regions of Kherson and Donetsk"
                suffix = PLURAL_SUFFIXES.get(word) or (word if word in REGION_SUFFIXES else None)
            if suffix is None and len(group) > 1:
                _regions_beside_regions(gaz, group)
            if suffix is None or suffix == "city":
                continue  # "the city of Oruro" is the city
            for m in group:
                if any(e.feature == "country" for e, _ in m.candidates):
                    continue  # "the republic of Montenegro"
                regional = gaz.lookup(f"{m.key} {suffix}") or _namesake_regions(gaz, m)
                if regional:
                    m.candidates = regional

    def _focus(self, mentions: list[Mention]) -> tuple[Counter, set[str], list[Entry]]:
        countries: Counter = Counter()
        admin1: set[str] = set()
        anchors: list[Entry] = []
        for m in mentions:
            named = next((e for e, how in m.candidates
                          if e.feature == "country" and how in ("name", "alias")), None)  # fmt: skip
            if named is not None and named.cc:
                countries[named.cc] += 1.0  # a country's name means the country
                continue
            if not m.candidates:
                continue
            e = m.candidates[-1][0]  # the one entry (the last candidate: all have its key)
            if any(c.key != e.key for c, _ in m.candidates):
                continue
            if e.cc:
                countries[e.cc] += 1.0 if e.feature == "country" else 0.5
            if e.feature == "admin1" and e.admin1:
                admin1.add(e.admin1)
            if e.feature in ("city", "admin1") and e.lat is not None:
                anchors.append(e)
        return countries, admin1, anchors

    def _score(self, e: Entry, how: str, countries: Counter, total: float, admin1: set[str],
               anchors: list[Entry], apposition: set[str],
               nearest: "_Nearest | None" = None) -> float:  # fmt: skip
        score = _prior(e, how)
        if e.feature == "country":
            return score
        if e.cc and total:
            share = countries.get(e.cc, 0.0) / total
            if share >= 0.25:  # a country named in passing is no focus
                score += 1.2 * share
        if e.admin1 and e.admin1 in admin1 and e.feature != "admin1":
            score += 1.0
        if apposition and (e.cc in apposition or (e.admin1 or "") in apposition):
            score += 2.0
        if e.feature == "admin1":
            # A region is near the article's places when they lie in it.
            if nearest is None:
                nearest = _Nearest(anchors)
            if nearest.others_in_region(e):
                score += 0.8
        elif e.lat is not None and anchors:
            if nearest is None:
                nearest = _Nearest(anchors)
            near = nearest(e)
            if near < _Nearest.NEAR_KM:
                score += 0.8 * (1 - near / 500)
        return score

    def _apposition(self, tk: DocTokens, m: Mention, by_start: dict[int, Mention]) -> set[str]:
        """'Paris, Texas' / 'Kharkiv, Ukraine': the region or country named right after;
        'the Eastern region of Ghana': the country after a region's 'of'."""
        if m.t1 + 1 >= len(tk):
            return set()
        lowers = tk.lowers
        if lowers[m.t1] == "of" and lowers[m.t1 - 1] in REGION_SUFFIXES:
            nxt = by_start.get(m.t1 + 1)
            if nxt is not None:
                return {e.cc for e, _ in nxt.candidates if e.feature == "country" and e.cc}
        elif tk.texts[m.t1] == ",":
            nxt = by_start.get(m.t1 + 1)
            if nxt is not None:
                out = set()
                for e, _ in nxt.candidates:
                    if e.feature == "country" and e.cc:
                        out.add(e.cc)
                    elif e.feature == "admin1" and e.admin1:
                        out.add(e.admin1)
                return out
        return set()

    def _local_towns(self, mentions: list[Mention], countries: Counter, admin1: set[str]) -> None:
        """A name known only abroad, in an article about a region that has a small town of
        that name ("of Edmonton" in a Kentucky story): add those towns as candidates."""
        if not admin1:
            return
        for m in mentions:
            if any(e.cc in countries or e.feature != "city" for e, _ in m.candidates):
                continue
            for region in admin1:
                m.candidates += [(e, "name") for e in self.gaz.small_towns(m.key, region)]

    def _disambiguate(self, tk: DocTokens, mentions: list[Mention]) -> tuple[Counter, set[str]]:
        countries, admin1, anchors = self._focus(mentions)
        self._local_towns(mentions, countries, admin1)
        total = sum(countries.values())
        by_start = {m.t0: m for m in mentions}
        nearest = _Nearest(anchors)
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            groups[m.key].append(m)
        # an entry's score depends on the entry (its key: a district made per mention shares
        # its town's), how it matched and the apposition only: computed once per document
        memo: dict[tuple[int, str, frozenset[str]], float] = {}
        for group in groups.values():
            scores: dict[int, float] = defaultdict(float)
            entries: dict[int, Entry] = {}
            # A country's name means the country, unless the text says "Lebanon, Pa.".
            country_named = any(e.feature == "country" and how in ("name", "alias")
                                for m in group for e, how in m.candidates)  # fmt: skip
            for m in group:
                appo = self._apposition(tk, m, by_start)
                frozen = frozenset(appo)
                for e, how in m.candidates:
                    if country_named and e.feature != "country" and not appo:
                        continue
                    s = memo.get((e.key, how, frozen))
                    if s is None:
                        s = self._score(e, how, countries, total, admin1, anchors, appo, nearest)
                        memo[(e.key, how, frozen)] = s
                    scores[e.key] = max(scores[e.key], s)
                    entries[e.key] = e
            best = entries[max(scores, key=scores.__getitem__)]
            for m in group:
                m.chosen = best
        return countries, admin1

    # -- names the gazetteer does not know ----------------------------------------------------
    def _unknown_spans(
        self, tk: DocTokens, ents: list[tuple[int, int, str, int, int]],
        mentions: list[Mention], skip: set[tuple[int, int]],
    ) -> list[tuple[int, int]]:  # fmt: skip
        """Place-like spans with no gazetteer match: NER places, and list members."""
        covered = set()
        for m in mentions:
            covered.update(range(m.t0, m.t1))
        starts = {m.t0 for m in mentions}
        ends = {m.t1 for m in mentions}
        spans = []
        text = tk.text
        for e0, e1, label, c0, c1 in ents:
            if label in PLACE_LABELS and not covered.intersection(range(e0, e1)):
                key = normalize(text[c0:c1])
                if (
                    self.gaz.lookup(key)
                    or key in self.gaz.demonyms
                    or any(a < c1 and c0 < b for a, b in skip)
                ):
                    continue  # known names left out on purpose (metonyms, person names)
                spans.append((e0, e1))
        seen = {s for s, _ in spans}
        texts, lowers, sent_starts, idxs = tk.texts, tk.lowers, tk.sent_starts, tk.starts
        n = len(texts)
        for i in tk.capitalised:
            # only a list member: a joiner between it and a place before it
            before = i >= 2 and lowers[i - 1] in LIST_JOINERS and (i - 1) in ends
            if not before or i in covered or i in seen or sent_starts[i]:
                continue
            tok_text = texts[i]
            if not tk.is_alpha[i] or len(tok_text) < 4:
                continue
            if self.gaz.knows(lowers[i]) or any(a <= idxs[i] < b for a, b in skip):
                continue
            after = i + 2 < n and lowers[i + 1] in LIST_JOINERS and (i + 2) in starts
            named = (texts[i - 1][:1].isupper() and not sent_starts[i]) or (
                i + 1 < n and texts[i + 1][:1].isupper()
            )
            # Between two places ("Sumy, Luchsk and Donetsk"), or after a region in a list;
            # never part of a longer name ("Edwin Jacobson, Chicago ...").
            region_before = any(
                m.t1 == i - 1 and any(e.feature in ("admin1", "admin2") for e, _ in m.candidates)
                for m in mentions)  # fmt: skip
            if not named and (after or region_before):
                spans.append((i, i + 1))
        return spans

    def _fuzzy(
        self, tk: DocTokens, ents: list[tuple[int, int, str, int, int]],
        mentions: list[Mention], countries: Counter, skip: set[tuple[int, int]],
    ) -> list[Mention]:  # fmt: skip
        gaz = self.gaz
        out = []
        focus = [cc for cc, _ in countries.most_common(3)]
        by_token = {}
        for m in mentions:
            by_token[m.t1] = m
            by_token[-m.t0] = m
        for t0, t1 in self._unknown_spans(tk, ents, mentions, skip):
            neighbours = [m for m in (by_token.get(t0 - 1), by_token.get(t0 - 2),
                                      by_token.get(-(t1 + 1)), by_token.get(-(t1 + 2)))
                          if m is not None and m.chosen is not None]  # fmt: skip
            kinds = {m.chosen.feature for m in neighbours}
            ccs = {m.chosen.cc for m in neighbours if m.chosen.cc} or set(focus)
            if not ccs:
                continue
            start, end = tk.starts[t0], tk.ends[t1 - 1]
            key = normalize(tk.text[start:end])
            best = None
            for cc in ccs:
                names, idxs = gaz.fuzzy_names(cc)
                # Beside other places of one kind a looser match will do ("Luchsk" among
                # oblasts); a lone name must be nearly exact.
                cutoff = 75 if kinds else 88
                for _name, score, pos in process.extract(
                    key, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
                ):
                    e = gaz.entries[idxs[pos]]
                    if _name[:1] != key[:1]:
                        continue  # misspellings keep the first letter
                    if len(kinds) == 1 and e.feature not in kinds:
                        continue
                    s = score / 100 + 0.3 * (countries.get(cc, 0) > 0)
                    if best is None or s > best[0]:
                        best = (s, e)
            if best is not None:
                m = Mention(start, end, t0, t1, key, [(best[1], "fuzzy")], chosen=best[1])
                out.append(m)
        return out

    # -- output -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        skip = set(doc._.sitrep_metonyms or ())
        tk = doc_tokens(doc)
        ents = doc_ents(doc)
        mentions = self._match(doc, tk, ents, skip)
        mentions = self._small_towns(tk, mentions, skip)
        self._link_lists(tk, mentions)
        countries, _ = self._disambiguate(tk, mentions)
        mentions = _drop_unsupported_generic(mentions)
        mentions += self._fuzzy(tk, ents, mentions, countries, skip)
        text = tk.text
        mentions.sort(key=lambda m: m.start)
        gaz = self.gaz
        places: dict[int, Place] = {}
        spans: dict[tuple[int, int], str] = {}
        for m in mentions:
            e = m.chosen
            if e is None:
                continue
            place = places.get(e.key)
            if place is None:
                place = Place(
                    id=f"P{len(places) + 1}", name=e.name, kind=e.kind,
                    country=gaz.iso3.get(e.cc or ""), admin1=gaz.admin1_name(e),
                    lat=e.lat, lon=e.lon, geonames_id=e.geonames_id,
                )  # fmt: skip
                places[e.key] = place
            place.mentions.append(Span(text[m.start : m.end], m.start, m.end))
            spans[(m.start, m.end)] = place.id
        doc._.sitrep_places = list(places.values())
        doc._.sitrep_place_spans = spans
        return doc


class _Nearest:
    """Kilometres from an entry to the nearest of the article's anchors (not itself, no
    region) when it is under ``NEAR_KM`` (else some figure at or over it), computed once per
    entry: ``haversine_km`` with each anchor's radians and cosine read once (the same
    arithmetic, so the same figures). Only anchors within ``NEAR_KM`` of the entry's latitude
    are measured: a great-circle distance is at least the difference in latitude. Also:
    whether other anchors lie in a region."""

    __slots__ = ("by_admin1", "cache", "lats", "rows")
    NEAR_KM = 500  # what ``_score`` asks: nearer anchors raise the score
    _WINDOW = (NEAR_KM + 1) / 6371.0  # radians of latitude (1 km of slack for rounding)

    def __init__(self, anchors: list[Entry]) -> None:
        self.rows = sorted((p2, a.key, math.cos(p2), a.lon)
                           for a in anchors if a.feature != "admin1"
                           for p2 in (math.radians(a.lat),))  # fmt: skip
        self.lats = [row[0] for row in self.rows]
        self.cache: dict[int, float] = {}
        self.by_admin1: dict[str | None, set[int]] = defaultdict(set)  # admin1 -> anchor keys
        for a in anchors:
            self.by_admin1[a.admin1].add(a.key)

    def others_in_region(self, e: Entry) -> bool:
        """Whether an anchor other than ``e`` has ``e``'s admin1 code."""
        keys = self.by_admin1.get(e.admin1, ())
        return len(keys) > 1 or (len(keys) == 1 and e.key not in keys)

    def __call__(self, e: Entry) -> float:
        near = self.cache.get(e.key)
        if near is None:
            p1 = math.radians(e.lat)
            c1, lon1, key = math.cos(p1), e.lon, e.key
            near = 1e9
            lo = bisect.bisect_left(self.lats, p1 - self._WINDOW)
            hi = bisect.bisect_right(self.lats, p1 + self._WINDOW)
            for p2, akey, c2, lon2 in self.rows[lo:hi]:
                if akey == key:
                    continue
                dp, dl = p2 - p1, math.radians(lon2 - lon1)
                h = math.sin(dp / 2) ** 2 + c1 * c2 * math.sin(dl / 2) ** 2
                d = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
                if d < near:
                    near = d
            self.cache[e.key] = near
        return near


def _drop_unsupported_generic(mentions: list[Mention]) -> list[Mention]:
    """A region named by where-words ("Eastern region", "Central province") only where the
    article names its country otherwise ("the Eastern region of Ghana"): "the West Coast
    region" of a Californian story is not New Zealand's."""
    if not any(m.chosen is not None and m.chosen.generic for m in mentions):
        return mentions
    evidence = {m.chosen.cc for m in mentions if m.chosen is not None and not m.chosen.generic}
    return [m for m in mentions
            if m.chosen is None or not m.chosen.generic or m.chosen.cc in evidence]  # fmt: skip


def _regions_beside_regions(gaz: Gazetteer, group: list[Mention]) -> None:
    """'Zamfara and Katsina': a town named like its (world-list) region, listed beside a
    region of the same country, is the region (Katsina State). Hand-kept regions keep the
    older rule: 'Donetsk, Kharkiv and Crimea' are cities unless a region word says not."""
    countries = set()
    for m in group:
        if m.candidates and all(e.feature == "admin1" for e, _ in m.candidates):
            countries.update(e.cc for e, _ in m.candidates)
    if not countries:
        return
    for m in group:
        if not all(e.feature == "city" for e, _ in m.candidates):
            continue
        regional = [(r, how) for r, how in _namesake_regions(gaz, m)
                    if r.world and r.cc in countries]  # fmt: skip
        if regional:
            m.candidates = regional


def _namesake_regions(gaz: Gazetteer, m: Mention) -> list[tuple[Entry, str]]:
    """The admin1 regions named after a candidate city ("Zaporizia" -> Zaporizhzhia Oblast)."""
    out = []
    for e, how in m.candidates:
        region = gaz.admin1_by_code.get(e.admin1 or "") if e.feature == "city" else None
        if region is None:
            continue
        base = normalize(strip_region_suffix(region.name))
        if how == "alt" and fuzz.ratio(base, m.key) < 80:
            continue  # a town's other name ("Montenegro" for Amapá) is not its region's
        if fuzz.ratio(base, normalize(e.name)) >= 80 and (region, how) not in out:
            out.append((region, how))
    return out


def _ngrams_end(gaz: Gazetteer, text: str, tk: DocTokens, i: int, j_max: int) -> int:
    """``j_max`` lowered below the first n-gram from token ``i`` that ends at or past
    ``gaz.name_end_limit`` (ASCII text). Where the token, and the next one a space after it,
    are whole words as ``normalize`` splits the text (letters and digits, then a space, a
    hyphen or the end), the limit is read off the tokens: no n-gram when no name starts with
    the first word ("Reuters"), the token alone when none goes on with the second ("Kyiv
    said")."""
    texts, ends = tk.texts, tk.ends
    if _whole_word(text, texts[i], ends[i]):
        first = texts[i].lower()
        if first not in gaz.first_words:
            return i  # (the limit is the token's end)
        nxt = i + 1
        if (nxt < len(texts) and tk.starts[nxt] == ends[i] + 1 and text[ends[i]] == " "
                and _whole_word(text, texts[nxt], ends[nxt])
                and not gaz.starts_name(first, texts[nxt].lower())):  # fmt: skip
            return nxt  # (the limit is the next token's end)
    return bisect.bisect_left(ends, gaz.name_end_limit(text, tk.starts[i]), i, j_max)


def _whole_word(text: str, tok_text: str, tok_end: int) -> bool:
    """Whether a token is a whole word as ``normalize`` splits ASCII text."""
    after = text[tok_end : tok_end + 1]
    return tok_text.isalnum() and (not after or after == "-" or after.isspace())


def _cue_before(lowers: list[str], i: int) -> str | None:
    """'province' in "the province of X", "the provinces of X and Y" (else None)."""
    if i < 2 or lowers[i - 1] != "of":
        return None
    word = lowers[i - 2]
    word = PLURAL_SUFFIXES.get(word, word)
    return word if word in REGION_SUFFIXES and word != "city" else None


def _dateline(tk: DocTokens, m: Mention) -> bool:
    """An all-capitals name opening a line: 'KYIV (Reuters) -', 'WASHINGTON, May 3 -'."""
    text = tk.text[m.start : m.end]
    if not text.isupper() or len(text) < 3:
        return False
    line_start = m.start == 0 or tk.text[m.start - 1] == "\n"
    follows = tk.texts[m.t1][:1] if m.t1 < len(tk) else ""
    return line_start and follows in (",", "(", "-", "—", "–", ":")


def _district(town: Entry, name: str) -> Entry:
    """A district named after a town, placed at the town (no GeoNames id of its own)."""
    return Entry(key=-1 - town.key, name=name, kind="region", feature="admin2", cc=town.cc,
                 admin1=town.admin1, lat=town.lat, lon=town.lon, geonames_id=None,
                 population=town.population)  # fmt: skip


@Language.factory("sitrep_places", default_config={"demonyms": False, "min_city_population": 5000})
def make_place_resolver(
    nlp: Language, name: str, demonyms: bool, min_city_population: int
) -> PlaceResolver:
    resolver = PlaceResolver(demonyms=demonyms, min_city_population=min_city_population)
    resolver.gaz  # build the indexes once, when the pipeline is made  # noqa: B018
    return resolver
