"""Who is speaking: map a reporting verb's subject to an actor id, and find the channel.

Reads the actor resolver's ``doc._.sitrep_actor_spans`` (every mention, pronouns and titles
included). When a speaker phrase is not in that map, falls back to: an actor mention inside the
phrase (a person one when the phrase's head is not itself covered); for a pronoun or a title
phrase ("the Russian leader"), the most recent person who was a grammatical subject in the last
few sentences, else the most recent person mentioned.
"""

import bisect
import re
from itertools import accumulate, compress

from spacy.tokens import Doc, Token

from sitrep.extract.quote_lexicon import Channel, QuoteLexicon, literal_needles
from sitrep.nlp.text import doc_text, doc_tokens

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "dep"})
_RANK_DEPS = _SUBJ_DEPS | {"compound", "flat", "appos"}  # a subject, or on the way to one
_SALIENT_SENTS = 3
_LEAD_JUNK = re.compile(r"^(?:\\[tn]|[^\w\"“])+")  # stray marks, literal "\t" in old wires


class SpeakerIndex:
    """Per-document lookups built once: mentions sorted by offset, token by character."""

    def __init__(
        self, doc: Doc, lex: QuoteLexicon, quoted: list[tuple[int, int]] | None = None
    ) -> None:
        self.doc = doc
        self.text = doc_text(doc)  # Doc.text is rebuilt on each access
        self.lex = lex
        self._hits: dict[tuple[int, int], list[tuple[int, int, int, str]]] = {}
        self._channels: tuple[Channel, ...] | None = None  # those the text may name
        self._children: dict[int, list[tuple[Token, str]]] = {}
        # sorted [start, end) ranges of quoted text: people named inside a quote are not
        # antecedents for a pronoun outside it
        self.quoted = quoted or []
        self.q_starts = [q[0] for q in self.quoted]
        kinds = {a.id: a.kind for a in (doc._.sitrep_actors or [])}
        self.kinds = kinds
        spans = doc._.sitrep_actor_spans or {}
        self.mentions = sorted([(s, e, aid) for (s, e), aid in spans.items()])
        self.m_starts = [m[0] for m in self.mentions]
        self.tk = doc_tokens(doc)
        self.tok_starts = self.tk.starts
        # person mentions with "was a subject" flags, for pronoun / title fallback
        self.persons: list[tuple[int, int, str, int, int]] = []  # start, end, id, rank, sent
        sent_of = self._sent_numbers()
        lowers = self.tk.lowers
        for s, e, aid in self.mentions:
            if kinds.get(aid) != "person":
                continue
            i = bisect.bisect_right(self.tok_starts, max(s, e - 1)) - 1  # ``token_at``
            if i < 0:
                continue
            if lowers[i] in PERSON_PRONOUNS or self.in_quote(s):
                continue  # a pronoun mention is not evidence of salience by itself
            self.persons.append((s, e, aid, self._rank(i), sent_of[i]))
        self.p_starts = [p[0] for p in self.persons]
        self.sent_of = sent_of
        # each sentence's first and last token (the same sentences as Token.sent)
        self.sent_first: list[int] = self._sent_firsts()
        self.sent_last: list[int] = [i - 1 for i in self.sent_first[1:]]
        if self.sent_first:
            self.sent_last.append(len(sent_of) - 1)
        # surname -> person actor, to mend a surname the resolver filed as another kind
        self.surnames: dict[str, str] = {}
        for actor in doc._.sitrep_actors or []:
            words = actor.name.split()
            if actor.kind == "person" and len(words) > 1:
                self.surnames.setdefault(words[-1].lower(), actor.id)
        # head noun -> (start, id) of non-person mentions, for "the agency", "the ministry"
        self.heads: dict[str, list[tuple[int, str]]] = {}
        text = self.text
        for s, e, aid in self.mentions:
            if kinds.get(aid) in (None, "person"):
                continue
            words = text[s:e].split()
            if len(words) > 1:
                self.heads.setdefault(words[-1].lower(), []).append((s, aid))

    def children(self, tok: Token) -> list[tuple[Token, str]]:
        """``tok``'s children with their dependency labels, read once per token (reporting
        verbs are asked for theirs several times)."""
        kids = self._children.get(tok.i)
        if kids is None:
            deps = self.tk.deps
            kids = self._children[tok.i] = [(c, deps[c.i]) for c in tok.children]
        return kids

    def in_quote(self, char: int) -> bool:
        i = bisect.bisect_right(self.q_starts, char) - 1
        return i >= 0 and char < self.quoted[i][1]

    def _rank(self, i: int) -> int:
        """2: subject of a main or reporting verb; 1: another subject; 0: not a subject
        (token ``i``)."""
        if self.tk.deps[i] not in _RANK_DEPS:
            return 0  # (no Token needed)
        head = self.doc[i]
        while head.dep_ in ("compound", "flat", "appos") and head.head.i != head.i:
            head = head.head
        if head.dep_ not in _SUBJ_DEPS:
            return 0
        verb = head.head
        if verb.dep_ == "ROOT" or verb.lemma_.lower() in self.lex.any_verbs:
            return 2
        return 1

    def _sent_flags(self) -> list[bool]:
        """Whether each token starts a sentence, as ``Doc.sents`` splits (the first always)."""
        flags = list(self.tk.sent_starts)
        if flags:
            flags[0] = True
        return flags

    def _sent_numbers(self) -> list[int]:
        """The number of each token's sentence (0, 1, ...)."""
        return list(accumulate(self._sent_flags(), initial=-1))[1:]

    def _sent_firsts(self) -> list[int]:
        """The first token of each sentence."""
        return list(compress(range(len(self.tk)), self._sent_flags()))

    # --- lookups -------------------------------------------------------------------------
    def sent_chars(self, i: int) -> tuple[int, int]:
        """``(sent.start_char, sent.end_char)`` of token ``i``'s sentence."""
        n = self.sent_of[i]
        return self.tk.starts[self.sent_first[n]], self.tk.ends[self.sent_last[n]]

    def token_at(self, char: int) -> Token | None:
        i = bisect.bisect_right(self.tok_starts, char) - 1
        if i < 0:
            return None
        return self.doc[i]

    def tokens_between(self, start: int, end: int) -> list[Token]:
        return [self.doc[i] for i in self.token_indexes(start, end)]

    def token_indexes(self, start: int, end: int) -> range:
        """The indexes of the tokens starting in [start, end) (those of ``tokens_between``)."""
        lo = bisect.bisect_left(self.tok_starts, start)
        hi = bisect.bisect_left(self.tok_starts, end)
        return range(lo, hi)

    def _pronouns_between(self, start: int, end: int) -> list[Token]:
        """The person pronouns (he, she, him, her) among ``tokens_between(start, end)``."""
        lo = bisect.bisect_left(self.tok_starts, start)
        hi = bisect.bisect_left(self.tok_starts, end)
        lowers = self.tk.lowers
        return [self.doc[i] for i in range(lo, hi) if lowers[i] in PERSON_PRONOUNS]

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Mentions overlapping [start, end)."""
        mentions = self.mentions
        i = bisect.bisect_left(self.m_starts, start)
        out = []
        j = i - 1
        while j >= 0 and j >= i - 3:  # mentions starting before but reaching in
            if mentions[j][1] > start:
                out.append(mentions[j])
            j -= 1
        while i < len(mentions) and mentions[i][0] < end:
            out.append(mentions[i])
            i += 1
        return sorted(out) if len(out) > 1 else out

    # --- speakers ------------------------------------------------------------------------
    def subject_of(self, verb: Token) -> Token | None:
        """The speaker phrase's head for a reporting verb (climbing participles and conjuncts)."""
        seen = 0
        while seen < 4:
            for child, dep in self.children(verb):
                if dep == "nsubj":
                    return child
            quoted_as = self._quoted_as(verb)
            if quoted_as is not None:
                return quoted_as
            if verb.dep_ in _CLIMB_DEPS and verb.head.i != verb.i:
                verb = verb.head
                seen += 1
                continue
            return None
        return None

    @staticmethod
    def _quoted_as(verb: Token) -> Token | None:
        """X in "media quoted X as saying ...": the one quoted speaks, not the quoter."""
        head = verb.head
        if verb.dep_ == "pcomp" and head.lower_ == "as" and head.head.lemma_ == "quote":
            return next((c for c in head.head.children if c.dep_ == "dobj"), None)
        return None

    def resolve(self, tok: Token) -> str | None:
        """Actor id for the phrase headed by ``tok`` (see module docstring for fallbacks)."""
        start, end = self.tk.starts[tok.i], self.tk.ends[tok.i]  # tok.idx, + len(tok.text)
        hits = self.mentions_in(start, end)
        if hits:
            aid = self._mend(hits[0][2], tok)
            if tok.tag_ in ("NNS", "NNPS") and self.kinds.get(aid) == "person":
                return None  # "opposition leaders" is not one person
            return aid
        if tok.pos_ == "PROPN" and tok.lower_ in self.surnames:
            return self.surnames[tok.lower_]  # a surname the resolver did not pick up
        if tok.lower_ in PERSON_PRONOUNS:
            return self.salient_person(tok.idx)
        if tok.pos_ == "PRON":
            return None
        left = tok.left_edge.idx
        right = tok.right_edge.idx + len(tok.right_edge.text)
        persons = [m for m in self.mentions_in(left, right) if self.kinds.get(m[2]) == "person"]
        if persons:
            return persons[0][2]
        if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.lefts):
            if tok.lower_ in self.heads:  # "the agency" after "the Atomic Energy Agency"
                earlier = [aid for s, aid in self.heads[tok.lower_] if s < tok.idx]
                if earlier:
                    return earlier[-1]
            if tok.lemma_.lower() in self.lex.titles:
                return self.salient_person(tok.idx)
        return None

    def _mend(self, aid: str, tok: Token) -> str:
        if self.kinds.get(aid) != "person" and tok.pos_ == "PROPN":
            return self.surnames.get(tok.lower_, aid)
        return aid

    def phrase(self, tok: Token) -> str:
        """The speaker phrase as written: ``tok`` with its left modifiers and the
        compounds and prepositional phrases on its right ("officials in Moscow")."""
        if tok.pos_ == "PRON":
            return tok.text
        lo, hi = tok.left_edge.i, tok.i
        for right in tok.rights:
            if right.dep_ == "appos" and right.left_edge.i == hi + 1 and right.pos_ == "PROPN":
                hi = right.i  # "analyst Joseph Phillippi" parsed as an apposition
                continue
            if right.dep_ not in ("prep", "compound", "flat", "nummod", "amod", "poss"):
                break
            hi = right.right_edge.i
        tk = self.tk
        punct, space = tk.is_punct, tk.is_space
        while lo < hi and (punct[lo] or space[lo]):
            lo += 1
        text = self.text[tk.starts[lo] : tk.ends[hi]]
        junk = _LEAD_JUNK.match(text)  # (anchored: what ``_LEAD_JUNK.sub("", text)`` drops)
        return (text[junk.end() :] or text) if junk else text

    def salient_person(self, char: int) -> str | None:
        """The most salient recent person: best subject rank in the last few sentences,
        most recent among equals; else the most recent person mentioned."""
        i = bisect.bisect_left(self.p_starts, char) - 1
        if i < 0:
            return None
        here = self.token_at(char)
        sent_here = self.sent_of[here.i] if here is not None else 0
        if self.persons[i][4] == sent_here:
            return self.persons[i][2]  # "X said he ...": a person earlier in the sentence
        best: tuple[int, str] | None = None
        j = i
        while j >= 0 and sent_here - self.persons[j][4] <= _SALIENT_SENTS:
            rank = self.persons[j][3]
            if rank and (best is None or rank > best[0]):
                best = (rank, self.persons[j][2])
            j -= 1
        return best[1] if best else self.persons[i][2]

    def speaker_near(self, verb: Token, lo: int, hi: int) -> tuple[str, str] | None:
        """Fallback: (actor id, text) of the mention or pronoun nearest to ``verb`` in
        [lo, hi)."""
        best: tuple[int, str, str] | None = None
        text = self.text
        for s, e, aid in self.mentions_in(lo, hi):
            if self.kinds.get(aid) not in ("person", "organization", "government", "military"):
                continue
            d = min(abs(s - verb.idx), abs(e - verb.idx))
            if best is None or d < best[0]:
                best = (d, aid, text[s:e])
        for tok in self._pronouns_between(lo, hi):
            if tok.dep_ in _SUBJ_DEPS:
                d = abs(tok.idx - verb.idx)
                if best is None or d < best[0]:
                    aid = self.resolve(tok)
                    if aid:
                        best = (d, aid, tok.text)
        return (best[1], best[2]) if best else None

    def mentions_actor(self, start: int, end: int, actor: str) -> bool:
        if any(aid == actor for _, _, aid in self.mentions_in(start, end)):
            return True
        for tok in self._pronouns_between(start, end):
            if self.resolve(tok) == actor:
                return True
        return False

    # --- channels ------------------------------------------------------------------------
    def channel(self, windows: list[tuple[int, int]], anchor: int) -> str | None:
        """A named channel beats a generic one; nearer to ``anchor`` wins among equals."""
        best: tuple[int, int, int, str] | None = None
        for lo, hi in windows:
            for rank, start, neg_len, name in self._channel_hits(lo, hi):
                key = (rank, abs(start - anchor), neg_len, name)
                if best is None or key < best:
                    best = key
        return best[3] if best else None

    def _channel_hits(self, lo: int, hi: int) -> list[tuple[int, int, int, str]]:
        """(0 named / 1 generic, start, -length, name) of every channel named in text[lo:hi];
        scanned once per window (each reporting verb of a sentence asks for it again)."""
        hits = self._hits.get((lo, hi))
        if hits is not None:
            return hits
        if self._channels is None:
            channels = self.lex.channels
            if self.text.isascii():  # no needle in the text: no match in any of its windows
                lowered_text = self.text.lower()
                channels = tuple(ch for ch in channels
                                 if ch.may_match(self.text, lowered_text))  # fmt: skip
            self._channels = channels
        hits = []
        chunk = self.text[lo:hi]
        lowered = chunk.lower() if chunk.isascii() else None
        for ch in self._channels:
            if lowered is not None and not ch.may_match(chunk, lowered):
                continue  # cannot match here: no regex scan
            for m in ch.pattern.finditer(chunk):
                hits.append((0 if ch.named else 1, lo + m.start(), -len(m.group()), ch.name))
        scan = lowered is None or _MEDIUM_GATE.may_match(chunk, lowered)
        for m in _NAMED_MEDIUM.finditer(chunk) if scan else ():
            name = m.group(1)
            if self.mentions_in(lo + m.start(1), lo + m.end(1)) and any(
                self.kinds.get(a) == "person"
                for _, _, a in self.mentions_in(lo + m.start(1), lo + m.end(1))
            ):
                continue
            hits.append((0, lo + m.start(), -len(name), name))
        self._hits[(lo, hi)] = hits
        return hits


# "Speaking to Face The Nation", "in an interview with The Washington Post"
_NAMED_MEDIUM = re.compile(
    r"\b(?:[Ss]peaking|[Tt]alking|[Ii]nterview(?:ed)?|told)\s+(?:to\s+|with\s+|by\s+)?"
    r"((?:The\s+)?[A-Z][\w.]*(?:\s+(?:[Tt]he\s+|of\s+)?[A-Z][\w.]*)*)"
)
# no scan of a sentence without a word the pattern needs ("told", "interview")
_MEDIUM_GATE = Channel("named medium", True, _NAMED_MEDIUM, literal_needles(_NAMED_MEDIUM))
