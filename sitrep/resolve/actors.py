"""Actor resolution: find every mention of a person, organisation, government or country in
the article and group the mentions into actors, linked to the knowledge base when possible.

Passes over one Doc (each linear in the number of tokens):

1. KB scan: longest exact alias match at every capitalised token (names, acronyms with
   their exact case, demonyms, capitals and seats of government). This runs over the text,
   not over ``doc.ents``, so it overrides the statistical NER where that is wrong.
2. Names in text order: exact KB people; then names the NER or the parse sees (PERSON
   entities, runs of proper nouns) matched fuzzily/phonetically against the KB
   (``actor_match``), or against people already named in the article (short forms,
   variant spellings); otherwise new people, with a role from an appositive.
3. Titles ("the Russian president", "Trump's special envoy") by role and article date;
   country words modifying a sector noun ("Russian forces" -> RUS MIL); countries and
   metonyms (Moscow, the Kremlin) when they act rather than locate.
4. Pronouns (he/she/his/her) by the heuristic in ``coref``.

Writes ``doc._.sitrep_actors`` (list[Actor]), ``doc._.sitrep_actor_spans``
((start_char, end_char) -> actor id, every mention) and ``doc._.sitrep_metonyms``.
"""

import datetime as dt
import functools
import logging

from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.symbols import PROPN
from spacy.tokens import Doc

from sitrep.nlp.text import doc_ents
from sitrep.resolve.actor_context import COMPANY_SUFFIXES, appositive_role
from sitrep.resolve.actor_groups import (
    NOT_NAME,
    city_names,
    organisations,
    person_sectors,
    places_and_groups,
    titled_countries,
)
from sitrep.resolve.actor_match import PersonIndex, person_index, same_person
from sitrep.resolve.actor_sectors import bare_sectors
from sitrep.resolve.actor_state import SUBJECT, ActorBuild, DocState, Match, finish, string_id
from sitrep.resolve.actor_vetoes import acronym_in_context, misspelt_country, vetoed
from sitrep.resolve.coref import PRONOUNS, resolve_pronoun, resolve_title
from sitrep.resolve.kb import Entry, load_kb, norm

log = logging.getLogger(__name__)

HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "professor",
        "gen",
        "general",
        "col",
        "colonel",
        "sen",
        "rep",
        "sheikh",
        "judge",
        "president",
        "minister",
        "senator",
        "ambassador",
        "envoy",
    }
)
TITLE_SECTORS = {
    "army chief": "MIL",
    "general": "MIL",
    "gen": "MIL",
    "colonel": "MIL",
    "col": "MIL",
    "senator": "LEG",
    "sen": "LEG",
    "speaker": "LEG",
    "rep": "LEG",
    "judge": "JUD",
    "justice": "JUD",
    "sheikh": "GOV",
    "president": "GOV",
    "minister": "GOV",
    "ambassador": "GOV",
    "envoy": "GOV",
}
_NOT_NAME_POS = frozenset(POS_IDS[p] for p in NOT_NAME)  # the same parts of speech, as ids
_POS_TAG = string_id("POS")  # the possessive ending's tag
PAST = frozenset({"former", "ex", "then", "late", "previous", "outgoing", "erstwhile"})
MATCH_SLACK = 3  # extra tokens (hyphens, dots) an alias match may span


@functools.lru_cache(maxsize=65536)
def _norm_token(text: str) -> str:
    return norm(text) if text not in ("the", "The") else "the"


class ActorResolver:
    """The ``sitrep_actors`` component."""

    def __init__(self, nlp: Language, name: str, extra_kb: list[str]) -> None:
        self.kb = load_kb(tuple(extra_kb))
        self.index: PersonIndex = person_index(self.kb)
        self.title_first: dict[str, int] = {}
        for phrase in self.kb.titles:
            words = phrase.split()
            self.title_first[words[0]] = max(self.title_first.get(words[0], 0), len(words))

    def preload(self) -> None:
        """Build the city-name table now (see ``sitrep.nlp.pipeline.preload_tables``)."""
        city_names()

    # -- pass 1 -----------------------------------------------------------------------------
    def scan(
        self, doc: Doc, norms: list[str], texts: list[str], capitalised: list[int]
    ) -> list[Match]:
        """``capitalised``: the indexes of the tokens that start with a capital (only those
        start a match)."""
        kb, out, n, i = self.kb, [], len(doc), 0
        for k in capitalised:
            if k < i:
                continue  # inside the match before
            i = k
            text = texts[i]
            best: Match | None = None
            maxw = kb.first_words.get(norms[i], 0)
            if maxw:
                words: list[str] = []
                j = i
                while j < n and len(words) < maxw and j - i < maxw + MATCH_SLACK:
                    w = norms[j]
                    j += 1
                    if not w:
                        continue
                    if w == "s" and words and texts[j - 1][:1] in "'’":
                        words[-1] += "s"  # "People's" is one word in the alias
                    else:
                        words.append(w)
                    key = " ".join(words)
                    if key in kb.aliases:
                        best = Match(i, j, "entry", tuple(kb.aliases[key]), key)
                    elif key in kb.metonyms:
                        best = Match(i, j, "metonym", (), key)
                    elif key in kb.demonyms:
                        best = Match(i, j, "demonym", (kb.demonyms[key],), key)
            bare = text.replace(".", "")
            if (
                (best is None or best.end == i + 1)
                and bare.isupper()
                and bare in kb.acronyms
                and acronym_in_context(texts, i, kb.acronyms)
            ):
                best = Match(i, i + 1, "entry", tuple(kb.acronyms[bare]), bare)
            if best is None and len(text) >= 6 and text.isalpha() and not text.isupper():
                iso3 = misspelt_country(kb, norms[i])
                if iso3 is not None and doc[i].ent_type_ != "PERSON":
                    best = Match(i, i + 1, "entry", (iso3,), norms[i])  # "Ethopia"
            if best is not None and self._inside_person_name(doc, best):
                best = None
            if best is not None and vetoed(kb, doc, texts, best, out):
                best = None
            if best is not None:
                out.append(best)
                i = best.end
        return out

    def _inside_person_name(self, doc: Doc, m: Match) -> bool:
        """ "Chad Smith", "Jordan Peterson": a country or place word that is part of a longer
        name the NER tags as a person (KB people, matched whole, are never dropped)."""
        if m.end - m.start != 1 or (
            m.kind == "entry" and self.kb.entries[m.ids[0]].kind == "person"
        ):
            return False
        tok = doc[m.start]
        if tok.ent_type_ != "PERSON":
            return False
        nxt = doc[m.end] if m.end < len(doc) else None
        return (
            nxt is not None
            and nxt.ent_type_ == "PERSON"
            and nxt.ent_iob_ == "I"
            and nxt.text[:1].isupper()
            and norm(nxt.text) not in self.kb.demonyms
        )  # "Bosnian Serbs"

    # -- component --------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        on = _date(doc._.published)
        st = DocState(doc, self.kb, on)
        # token texts and parts of speech from the shared per-document table, not a Token each
        tokens = st.tokens
        texts = tokens.texts
        norms = [_norm_token(t) for t in texts]
        st.norms, st.texts, st.pos = norms, texts, tokens.pos
        matches = self.scan(doc, norms, texts, tokens.capitalised)
        self.names(st, matches)
        self.titles(st, matches, norms)
        places_and_groups(self.kb, st, matches)
        organisations(self.kb, st, matches)
        person_sectors(self.kb, st)
        self.pronouns(st)
        titled_countries(self.kb, st, matches)
        bare_sectors(self.kb, st, matches)
        finish(doc, st)
        return doc

    # -- pass 2: names ----------------------------------------------------------------------
    def names(self, st: DocState, matches: list[Match]) -> None:
        doc, kb = st.doc, self.kb
        covered = bytearray(len(doc))
        items: list[tuple[int, int, Match | None, bool]] = []
        for m in matches:
            if m.kind == "entry" and kb.entries[m.ids[0]].kind not in ("country",):
                if self._lone_surname_clash(doc, m):
                    continue
                items.append((m.start, m.end, m, False))
            for i in range(m.start, m.end):
                covered[i] = 1
        for e_start, e_end, label, _s, _e in doc_ents(doc):
            if label == "PERSON" and not any(covered[e_start:e_end]):
                items.append((e_start, e_end, None, True))
                covered[e_start:e_end] = b"\x01" * (e_end - e_start)
        i, n, pos, texts = 0, len(doc), st.pos, st.texts
        while i < n:  # runs of capitalised proper nouns the NER missed or mislabelled
            if covered[i] or pos[i] != PROPN or not texts[i][:1].isupper():
                i += 1
                continue
            j = i
            while j < n and not covered[j] and pos[j] == PROPN and texts[j][:1].isupper():
                j += 1
            items.append((i, j, None, False))  # a lone one only links to people named before
            i = j
        items.sort(key=lambda t: t[0])
        for start, end, m, is_person in items:
            if m is not None:
                self._kb_entry(st, m)
            else:
                self._candidate(st, start, end, is_person)

    def _lone_surname_clash(self, doc: Doc, m: Match) -> bool:
        """ "Cameron Smith" is not David Cameron: a lone-surname alias inside a longer name."""
        if m.end - m.start != 1 or self.kb.entries[m.ids[0]].kind != "person":
            return False
        for j in (m.start - 1, m.end):
            if 0 <= j < len(doc):
                t = doc[j]
                w = norm(t.text)
                if (
                    not (t.pos_ == "PROPN" and t.text[:1].isupper())
                    or w in HONORIFICS
                    or w in self.kb.titles
                ):
                    continue
                later = doc[max(j, m.start)]
                same_name = t.ent_type_ == later.ent_type_ == "PERSON" and later.ent_iob_ == "I"
                if same_name or w not in self.kb.first_words:
                    return True
        return False

    def _pick(self, st: DocState, ids: tuple[str, ...], surname: str | None) -> Entry:
        kb = self.kb
        cands = [kb.entries[i] for i in ids]
        people = [c for c in cands if c.kind == "person"]
        if surname and people:
            extra = [kb.entries[i] for i in kb.surnames.get(surname, ()) if i not in ids]
            cands = cands + extra
        if len(cands) == 1:
            return cands[0]
        mentioned = st.mentioned_ids()
        seen = [c for c in cands if c.id in mentioned]
        if seen:
            return seen[0]
        active = [c for c in cands if c.roles and any(r.active(st.on) for r in c.roles)]
        return active[0] if active else cands[0]

    def _kb_entry(self, st: DocState, m: Match) -> None:
        surname = m.key if (m.end - m.start == 1 and " " not in m.key) else None
        entry = self._pick(st, m.ids, surname)
        if entry.kind == "country":
            return
        st.mention(st.entry_actor(entry), m.start, m.end)
        m.used = True

    def _candidate(self, st: DocState, start: int, end: int, is_person: bool) -> None:
        doc, tags, is_punct, pos = st.doc, st.tags, st.tokens.is_punct, st.pos
        while end > start and (tags[end - 1] == _POS_TAG or is_punct[end - 1]):
            end -= 1
        while start < end and pos[start] in _NOT_NAME_POS:
            start += 1  # "Later Zelenski": the NER took in a sentence adverb
        title = None
        while start < end - 1 and (
            st.norms[start] in HONORIFICS or st.norms[start] in self.kb.titles
        ):
            title = st.texts[start]
            start += 1
        if start >= end:
            return
        text = st.span_text(start, end)
        if not any(c.isalpha() for c in text):
            return
        # people already named in this article: short forms and variant spellings
        best, best_score = None, 0.0
        for actor in st.actors.values():
            if actor.kind != "person" or not actor.spans:
                continue
            s = same_person(text, actor.surfaces)
            if s > best_score:
                best, best_score = actor, s
        if best is not None and best_score >= 0.9:
            st.mention(best, start, end)
            return
        hit = self.index.match(text)
        if hit is not None and (end - start >= 2 or is_person or pos[start] == PROPN):
            st.mention(st.entry_actor(self.kb.entries[hit[0]]), start, end)
            return
        if not is_person or not self._plausible_person(st, start, end):
            return
        role = appositive_role(doc, start, end, self.kb.titles) or (
            title.lower() if title else None
        )
        if end - start == 1 and not (role or title or _speaks(doc[start])):
            return  # a lone unknown capitalised word needs some sign that it is a person
        if role:
            role = " ".join(role.split())
        actor = st.new_actor("new:" + norm(text), " ".join(text.split()), "person", role)
        if title is not None and actor.sector is None:
            canon = self.kb.titles.get(norm(title))
            actor.sector = TITLE_SECTORS.get(canon or norm(title), "GOV" if canon else None)
        st.mention(actor, start, end)

    def _plausible_person(self, st: DocState, start: int, end: int) -> bool:
        """Reject NER PERSON spans that the context shows to be places or things."""
        doc, kb = st.doc, self.kb
        words = st.norms[start:end]
        if all(w in kb.titles or w in kb.sector_nouns or w in kb.demonyms for w in words):
            return False
        if words[-1] in COMPANY_SUFFIXES or any(c in st.span_text(start, end) for c in "&\t@<>/"):
            return False
        is_space = st.tokens.is_space
        if any(
            not t[:1].isupper() or any(c.isdigit() for c in t)
            for i, t in enumerate(st.texts[start:end], start)
            if not is_space[i]
            and t not in ("-", "'", "bin", "al", "de", "van", "von", "der", "da", "la", "le")
        ):
            return False
        root = doc[start:end].root
        if end - start == 1:
            r = root
            while r.dep_ == "conj" and r.head.i != r.i:
                r = r.head
                if r.ent_type_ in ("GPE", "LOC") or norm(r.text) in kb.metonyms:
                    return False
            if r.dep_ == "pobj" and r.head.lower_ in ("in", "at", "near", "from", "to", "of"):
                return False
            if any(c.ent_type_ in ("GPE", "LOC") for c in root.children if c.dep_ == "conj"):
                return False
        return True

    # -- pass 3: titles, sectors, countries, metonyms --------------------------------------
    def titles(self, st: DocState, matches: list[Match], norms: list[str]) -> None:
        doc, kb = st.doc, self.kb
        by_end = {m.end: m for m in matches}
        first = self.title_first
        n, i = len(doc), 0
        for k in [j for j, w in enumerate(norms) if w in first]:  # where a title can start
            if k < i or st.claimed[k]:
                continue  # inside the title before, or already an actor's
            i = k
            maxw = first[norms[i]]
            title, end = None, i
            words: list[str] = []
            for j in range(i, min(n, i + maxw)):
                words.append(norms[j])
                t = kb.titles.get(" ".join(words))
                if t:
                    title, end = t, j + 1
            if title is None:
                continue
            self._title(st, i, end, title, by_end)
            i = end

    def _title(self, st: DocState, start: int, end: int, title: str, by_end: dict) -> None:
        doc, kb = st.doc, self.kb
        if end < len(doc) and (
            doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN" or end in st.tok_actor
        ):
            # "US President Donald Trump": a pre-modifier of a name; its qualifier goes too
            q = by_end.get(start)
            if q is not None:
                q.used = True
            self._describe(st, end, title, q)
            return
        qstart, org, owner = start, None, None
        q = by_end.get(start)
        prev = doc[start - 1] if start > 0 else None
        if q is not None and not q.used:
            if q.kind in ("demonym", "metonym"):
                org = q.ids[0] if q.ids else kb.metonyms[q.key][0]
            else:
                entry = kb.entries[q.ids[0]]
                org = entry.id if entry.kind != "person" else entry.country
                if entry.kind == "person":
                    owner = st.actors.get(entry.id)
            q.used = True
            qstart = q.start
        elif prev is not None and prev.tag_ == "POS" and start - 1 in st.tok_actor:
            owner = st.actors.get(st.tok_actor[start - 1])
            qstart = start - 1
            while qstart > 0 and st.tok_actor.get(qstart - 1) == st.tok_actor[start - 1]:
                qstart -= 1
        elif prev is not None and prev.lower_ in ("his", "her"):
            key = resolve_pronoun(doc, prev, st.sent_of, st.persons)
            owner = st.actors.get(key) if key else None
            qstart = start - 1
        if owner is not None:
            org = owner.country if owner.kind == "person" else owner.kb_id
            if prev is not None and prev.tag_ == "POS" and owner.kind == "person":
                q_owner_mention = (doc[qstart].idx, doc[start - 2].idx + len(doc[start - 2].text))
                if q_owner_mention in st.spans:
                    qstart = start  # keep the owner's own mention separate
        if (
            qstart > 0
            and doc[qstart - 1].lower_ in PAST
            or start > 0
            and doc[start - 1].lower_ in PAST
        ):
            return
        head = doc[end - 1]
        target = self._apposed_person(st, head)
        if target is None:
            entry = resolve_title(kb, title, org, st.on, st.mentioned_ids())
            if entry is not None and entry.kind == "person":
                target = st.entry_actor(entry)
        if target is None and org is not None and len(org) == 3 and org in kb.countries:
            if qstart < start:
                sector = "GOV"
                target = st.entry_actor(kb.sector_actor(org, sector))
        if target is not None:
            if qstart < start and (doc[qstart].lower_ in ("his", "her")):
                st.mention(target, start, end)
            else:
                st.mention(target, qstart, end)

    def _describe(self, st: DocState, at: int, title: str, q: Match | None) -> None:
        """A person not in the KB takes role, country and sector from a title before it."""
        actor = st.actors.get(st.tok_actor.get(at, ""))
        if actor is None or actor.kb_id is not None or actor.kind != "person":
            return
        actor.role = actor.role or title
        actor.sector = actor.sector or TITLE_SECTORS.get(title, "GOV")
        if q is not None and actor.country is None:
            if q.kind == "entry":
                entry = self.kb.entries[q.ids[0]]
                actor.country = entry.country if entry.kind != "country" else entry.id
            elif q.kind == "demonym":
                actor.country = q.ids[0]
            else:
                actor.country = self.kb.metonyms[q.key][0]

    def _apposed_person(self, st: DocState, head) -> ActorBuild | None:
        tok, hops = head, 0
        while tok.dep_ == "conj" and hops < 4:
            tok, hops = tok.head, hops + 1
        if tok.dep_ == "appos" and tok.head.i in st.tok_actor:
            actor = st.actors[st.tok_actor[tok.head.i]]
            return actor if actor.kind == "person" else None
        return None

    # -- pass 4: pronouns ---------------------------------------------------------------------
    def pronouns(self, st: DocState) -> None:
        doc = st.doc
        if not st.persons:
            return
        for i, w in enumerate(st.norms):
            if w not in PRONOUNS or st.claimed[i]:
                continue
            tok = doc[i]
            if tok.pos_ == "PRON":
                key = resolve_pronoun(doc, tok, st.sent_of, st.persons)
                if key is not None:
                    st.mention(st.actors[key], tok.i, tok.i + 1)


_SPEECH = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "write",
        "note",
        "argue",
        "warn",
        "insist",
        "claim",
        "explain",
        "believe",
        "think",
        "deny",
        "ask",
    }
)


def _speaks(tok) -> bool:
    """The token is the subject of a verb of saying or thinking ("Glitman said")."""
    return tok.dep_ in SUBJECT and tok.head.lemma_ in _SPEECH


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@Language.factory("sitrep_actors", default_config={"extra_kb": []})
def make_actor_resolver(nlp: Language, name: str, extra_kb: list[str]) -> ActorResolver:
    return ActorResolver(nlp, name, extra_kb)
