"""Per-document working state of actor resolution: KB matches, actors being built, and
the final ``Doc._`` attributes (see ``sitrep.resolve.actors``)."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ENT_TYPE, SENT_START, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc

from sitrep.nlp.text import DocTokens, doc_text, doc_tokens
from sitrep.records import Actor, Span
from sitrep.resolve.coref import PersonMention
from sitrep.resolve.kb import Entry, KnowledgeBase

SUBJECT = frozenset({"nsubj", "nsubjpass"})


def string_id(name: str) -> int:
    """The id spaCy stores for a tag or label name (as in ``DocState.tags``)."""
    return get_string_id(name)


@dataclass(slots=True)
class Match:
    start: int
    end: int
    kind: str  # entry | metonym | demonym
    ids: tuple[str, ...] = ()
    key: str = ""
    used: bool = False


@dataclass(slots=True)
class ActorBuild:
    key: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    role: str | None = None
    gender: str | None = None
    surfaces: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


class DocState:
    """Actors and mentions of one document while it is being resolved."""

    def __init__(self, doc: Doc, kb: KnowledgeBase, on: dt.date | None) -> None:
        self.doc, self.kb, self.on = doc, kb, on
        # the shared per-token table (offsets, texts, flags) instead of a Token per read
        self.tokens: DocTokens = doc_tokens(doc)
        self.text = self.tokens.text
        self.norms: list[str] = []  # per token: normalised text, text, POS id (actors.py)
        self.texts: list[str] = []
        self.pos: list[int] = []
        self._tags: list[int] | None = None
        self._ent_types: list[int] | None = None
        self.actors: dict[str, ActorBuild] = {}
        self.claimed = bytearray(len(doc))
        self.tok_actor: dict[int, str] = {}
        self.persons: list[PersonMention] = []
        self.spans: dict[tuple[int, int], str] = {}
        self.metonyms: set[tuple[int, int]] = set()
        self.sent_of: list[int] = [0] * len(doc)
        if len(doc) and doc.has_annotation("SENT_START"):
            starts = doc.to_array(SENT_START) == 1
            starts[0] = False
            self.sent_of = np.cumsum(starts).tolist()

    @property
    def tags(self) -> list[int]:
        """``Token.tag`` of every token (compare with ``string_id("NNS")``), read on first use."""
        if self._tags is None:
            self._tags = self.doc.to_array(TAG).tolist()
        return self._tags

    @property
    def ent_types(self) -> list[int]:
        """``Token.ent_type`` of every token (compare with ``string_id("GPE")``)."""
        if self._ent_types is None:
            self._ent_types = self.doc.to_array(ENT_TYPE).tolist()
        return self._ent_types

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` (start < end) without building the Span."""
        return self.text[self.tokens.starts[start] : self.tokens.ends[end - 1]]

    def entry_actor(self, entry: Entry) -> ActorBuild:
        actor = self.actors.get(entry.id)
        if actor is None:
            role = entry.role_on(self.on) if entry.kind == "person" else None
            country, sector = entry.country, entry.sector
            if role is not None:
                org = self.kb.entries.get(role.org)
                country = (
                    org.country
                    if org and org.kind != "country"
                    else role.org
                    if len(role.org) == 3
                    else None
                ) or country
                sector = role.sector
            actor = self.actors[entry.id] = ActorBuild(
                entry.id,
                entry.name,
                entry.kind,
                country,
                sector,
                entry.id,
                role.title if role else None,
                entry.gender,
                [entry.name, *entry.aliases],
            )
        return actor

    def new_actor(self, key: str, name: str, kind: str, role: str | None = None) -> ActorBuild:
        actor = self.actors.get(key)
        if actor is None:
            actor = self.actors[key] = ActorBuild(key, name, kind, role=role, surfaces=[name])
        elif role and not actor.role:
            actor.role = role
        return actor

    def mention(self, actor: ActorBuild, start: int, end: int) -> None:
        tokens = self.tokens
        is_punct = tokens.is_punct
        while end > start and is_punct[end - 1]:
            end -= 1
        if end <= start or any(self.claimed[start:end]) and not self._free(start, end, actor):
            return
        s, e = tokens.starts[start], tokens.ends[end - 1]
        actor.spans.append((s, e))
        self.spans[(s, e)] = actor.key
        for i in range(start, end):
            self.claimed[i] = 1
            self.tok_actor[i] = actor.key
        if actor.kind == "person":
            text = self.text[s:e]
            if text not in actor.surfaces:
                actor.surfaces.append(text)
            deps = tokens.deps
            pm = PersonMention(
                self.doc[start:end].root.i,
                start,
                self.sent_of[start],
                actor.key,
                any(deps[i] in SUBJECT for i in range(start, end)),
                actor.gender,
            )
            bisect.insort(self.persons, pm, key=lambda m: m.start)

    def _free(self, start: int, end: int, actor: ActorBuild) -> bool:
        return all(self.tok_actor.get(i, actor.key) == actor.key for i in range(start, end))

    def mentioned_ids(self) -> set[str]:
        return {k for k, a in self.actors.items() if a.spans}


def finish(doc: Doc, st: DocState) -> None:
    text = doc_text(doc)
    built = sorted((a for a in st.actors.values() if a.spans), key=lambda a: min(a.spans))
    actors: list[Actor] = []
    ids: dict[str, str] = {}
    for n, a in enumerate(built, 1):
        aid = f"A{n}"
        ids[a.key] = aid
        mentions = [Span(text[s:e], s, e) for s, e in sorted(set(a.spans))]
        actors.append(Actor(aid, a.name, a.kind, a.country, a.sector, a.kb_id, a.role, mentions))
    doc._.sitrep_actors = actors
    doc._.sitrep_actor_spans = {span: ids[key] for span, key in sorted(st.spans.items())}
    doc._.sitrep_metonyms = st.metonyms
