"""A document's dependency parse as plain Python objects, for rules that walk the tree a lot.

Every ``token.head``, ``token.children`` and ``doc[i]`` makes new spaCy ``Token`` objects,
and every ``.dep_``/``.lemma_``/``.lower_`` is a string lookup; the event rules walk the tree
around each candidate dozens of times, so those costs dominated them. ``ParseTree(doc)``
reads the parse once (``doc_tokens`` plus one ``Doc.to_array``) and builds one ``Node`` per
token, one sentence at a time on first use (a sentence nobody looks at costs nothing). A
``Node`` has the names and meaning of the ``Token`` attributes it stands for (``i``,
``head``, ``children``, ``lefts``, ``rights``, ``subtree``, ``left_edge``, ``right_edge``,
``conjuncts``, ``sent``, ``dep_``, ``lemma_``, ...), so rule code reads as it would on
tokens (one addition: ``lemma_lower``, the lowercased lemma lexicons are keyed by); there is
one node per token, so ``==`` and ``is`` compare positions. ``Sentence``
stands for a sentence ``Span`` (``start``, ``end``, ``start_char``, ``end_char``, ``root``,
iteration, ``len``). A tree holds no reference to the Doc. Never compare nodes with spaCy
tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

import numpy
from spacy.attrs import ENT_TYPE, HEAD, SENT_START, SPACY, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import StringStore
from spacy.tokens import Doc

from sitrep.nlp.text import doc_tokens


class Node:
    """One token of a ``ParseTree``; attributes as on ``spacy.tokens.Token``."""

    __slots__ = (
        "children",
        "dep_",
        "ent_type_",
        "head",
        "i",
        "idx",
        "is_alpha",
        "lemma_",
        "lemma_lower",
        "lower_",
        "pos_",
        "sent",
        "tag_",
        "text",
        "whitespace_",
    )

    i: int
    idx: int
    text: str
    whitespace_: str
    lower_: str
    lemma_: str
    lemma_lower: str  # not a Token attribute: ``lemma_.lower()``, as lexicons are keyed
    dep_: str
    pos_: str
    tag_: str
    ent_type_: str
    is_alpha: bool
    head: Node
    children: tuple[Node, ...]  # in text order, as ``Token.children``
    sent: Sentence

    def __getattr__(self, name: str) -> object:
        """Fill an attribute rules seldom read (``ParseTree._build`` leaves it unset) from
        the tree's token lists; Python calls this only while the slot is empty."""
        reader = _LAZY.get(name)
        if reader is None:
            raise AttributeError(name)
        value = reader(self.sent.tree, self.i)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    @property
    def lefts(self) -> tuple[Node, ...]:
        return tuple(c for c in self.children if c.i < self.i)

    @property
    def rights(self) -> tuple[Node, ...]:
        return tuple(c for c in self.children if c.i > self.i)

    @property
    def subtree(self) -> list[Node]:
        """The node and its descendants, in spaCy's order (left subtrees, node, right ones)."""
        return self.sent.subtree(self)

    @property
    def left_edge(self) -> Node:
        return self.sent.edges(self)[0]

    @property
    def right_edge(self) -> Node:
        return self.sent.edges(self)[1]

    @property
    def conjuncts(self) -> tuple[Node, ...]:
        """Coordinated nodes, without this one (as ``Token.conjuncts``)."""
        start = self
        while start.head is not start and start.dep_ == "conj":
            start = start.head
        if start is self and not any(c.dep_ == "conj" for c in self.children):
            return ()  # the usual case: no coordination
        queue = [start]
        output = [start]
        for word in queue:
            for child in word.children:
                if child.i > word.i and child.dep_ == "conj":
                    output.append(child)
                    queue.append(child)
        return tuple(w for w in output if w is not self)

    def nbor(self, offset: int = 1) -> Node:
        """The node ``offset`` positions away (IndexError outside the document)."""
        return self.sent.tree.node(self.i + offset)


_LAZY: dict[str, Callable[[ParseTree, int], object]] = {
    "text": lambda tree, i: tree.texts[i],
    "whitespace_": lambda tree, i: " " if tree._spaces[i] else "",
    "is_alpha": lambda tree, i: tree._alpha[i],
}


class Sentence:
    """One sentence of a ``ParseTree`` (as a sentence ``Span``); its nodes are built on
    first use."""

    __slots__ = ("_lemma_set", "_nodes", "_projective", "_root", "end", "end_char", "start",
                 "start_char", "tree")  # fmt: skip

    def __init__(self, tree: ParseTree, start: int, end: int) -> None:
        self.tree = tree
        self.start = start
        self.end = end
        self.start_char = tree.starts[start]
        self.end_char = tree.ends[end - 1]
        self._nodes: list[Node] | None = None
        self._projective: bool | None = None  # see projective()
        self._root: Node | None = None
        self._lemma_set: frozenset[str] | None = None

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __repr__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.tree.text[self.start_char : self.end_char]

    @property
    def nodes(self) -> list[Node]:
        if self._nodes is None:
            self._nodes = self.tree._nodes_of(self)
        return self._nodes

    def node(self, i: int) -> Node:
        """The node of token ``i`` (a token of this sentence)."""
        return self.nodes[i - self.start]

    @property
    def root(self) -> Node:
        """As ``Span.root``: the first node that is its own head, else the node nearest the
        top of the tree."""
        if self._root is None:
            self._root = self._find_root()
        return self._root

    def _find_root(self) -> Node:
        nodes = self.nodes
        for node in nodes:
            if node.head is node:
                return node
        best, best_depth = None, len(self.tree.heads)
        for node in nodes:
            if self.start <= node.head.i < self.end:
                continue
            depth, tok = 0, node
            while tok.head is not tok and depth < best_depth:
                tok, depth = tok.head, depth + 1
            if depth < best_depth:
                best, best_depth = node, depth
        return best if best is not None else nodes[0]

    def release(self) -> None:
        """Unlink this sentence's nodes (see ``ParseTree.close``) once a caller is done with
        them; asked for again, they are built anew. Nothing is done while the nodes are
        linked across sentences (``ParseTree._whole``), until the whole tree is closed."""
        if self.tree._whole is not None:
            return
        if self._nodes is not None:
            _unlink(self._nodes)
        self._nodes = self._root = None

    def lemma_set(self) -> frozenset[str]:
        """The sentence's lemmas, lowercased."""
        if self._lemma_set is None:
            lemmas = self.tree.lemmas[self.start : self.end]
            self._lemma_set = frozenset(w.lower() for w in lemmas)
        return self._lemma_set

    def subtree(self, node: Node) -> list[Node]:
        """``node`` and its descendants in ``Token.subtree`` order: a slice of the sentence
        when it is projective (nearly always), else walked."""
        if self.projective():
            first, last = _edges(node)
            return self.nodes[first.i - self.start : last.i - self.start + 1]
        return _walk(node)

    def edges(self, node: Node) -> tuple[Node, Node]:
        """``(left_edge, right_edge)`` of ``node`` as spaCy has them: the first and last
        node of the subtree, except in a non-projective sentence, where spaCy's are
        approximations (``ParseTree.spacy_edges``)."""
        if self.projective():
            return _edges(node)
        left, right = self.tree.spacy_edges()
        return self.tree.node(left[node.i]), self.tree.node(right[node.i])

    def projective(self) -> bool:
        """Whether every subtree is a contiguous run of tokens: no two arcs cross, counting
        an arc to each root from before the sentence."""
        if self._projective is None:
            self._projective = self.tree._whole is None and _no_crossing(
                self.tree.heads[self.start : self.end], self.start
            )
        return self._projective


def _unlink(nodes: list[Node]) -> None:
    for node in nodes:
        del node.head, node.children, node.sent


def _no_crossing(heads: list[int], start: int) -> bool:
    """Whether no two arcs of the tokens from ``start`` with these heads cross (a sweep over
    the arcs sorted by left end, longest first, keeping the right ends of open arcs)."""
    arcs = sorted([(i, -h) if i < h else (h, -i) if i != h else (start - 1, -i)
                   for i, h in enumerate(heads, start)])  # fmt: skip
    open_ends: list[int] = []
    for left, minus_right in arcs:
        while open_ends and open_ends[-1] <= left:
            open_ends.pop()
        if open_ends and open_ends[-1] < -minus_right:
            return False
        open_ends.append(-minus_right)
    return True


def _edges(node: Node) -> tuple[Node, Node]:
    """The first and last node of a projective subtree: down the leftmost and rightmost
    children."""
    first = last = node
    while first.children and first.children[0].i < first.i:
        first = first.children[0]
    while last.children and last.children[-1].i > last.i:
        last = last.children[-1]
    return first, last


def _walk(node: Node) -> list[Node]:
    """``node``'s subtree in spaCy's order (left subtrees, node, right subtrees), with a
    stack rather than recursion (a long coordination makes a deep tree)."""
    out: list[Node] = []
    todo: list[tuple[Node, bool]] = [(node, False)]
    while todo:
        tok, expanded = todo.pop()
        if expanded or not tok.children:
            out.append(tok)
            continue
        todo.extend((c, False) for c in reversed(tok.children) if c.i > tok.i)
        todo.append((tok, True))
        todo.extend((c, False) for c in reversed(tok.children) if c.i < tok.i)
    return out


class ParseTree:
    """The parse of one Doc: token attributes as lists, sentences, nodes built on demand."""

    __slots__ = ("_alpha", "_crossing", "_edges", "_ents", "_lowers", "_names", "_pos", "_sent_firsts",
                 "_spaces", "_tags", "_whole", "deps", "ends", "heads", "lemmas", "sents",
                 "starts", "text", "texts")  # fmt: skip

    def __init__(self, doc: Doc) -> None:
        table = doc_tokens(doc)
        self.text = table.text
        self.starts, self.ends, self.texts = table.starts, table.ends, table.texts
        self.lemmas, self.deps = table.lemmas, table.deps
        self._lowers, self._alpha, self._pos = table.lowers, table.is_alpha, table.pos
        array = doc.to_array([HEAD, SENT_START, TAG, ENT_TYPE, SPACY])
        self._tags, self._ents, self._spaces = (array[:, k].tolist() for k in (2, 3, 4))
        self._names = _Names(doc.vocab.strings)  # string ids -> strings, looked up once
        n = len(array)
        relative = array[:, 0].astype("int64").tolist()  # HEAD: offsets, read as unsigned
        self.heads: list[int] = [i + h for i, h in enumerate(relative)]
        firsts = [0, *(i for i in numpy.flatnonzero(array[:, 1] == 1).tolist() if i)]
        self._sent_firsts = firsts if n else []
        self.sents = [Sentence(self, a, b) for a, b in zip(firsts, [*firsts[1:], n], strict=True)
                      if n]  # fmt: skip
        self._edges: tuple[list[int], list[int]] | None = None
        # every node, when an arc crosses a sentence boundary (never seen from spaCy's
        # parser): then all are built at once, so that every head has its node
        self._whole: list[Node] | None = None
        self._crossing: bool | None = None

    @property
    def lowers(self) -> list[str]:
        return self._lowers

    def pos_of(self, i: int) -> str:
        """``Token.pos_`` of token ``i``."""
        return POS_NAMES[self._pos[i]]

    def tag_of(self, i: int) -> str:
        """``Token.tag_`` of token ``i``."""
        return self._names[self._tags[i]]

    def ent_type_of(self, i: int) -> str:
        """``Token.ent_type_`` of token ``i``."""
        return self._names[self._ents[i]]

    def token_range(self, start: int, end: int) -> range:
        """The tokens overlapping characters [start, end) (``DocTokens.token_range``)."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return range(first, last) if first < last else range(0)

    def token_starting(self, char: int) -> int | None:
        """The index of the token that starts at character ``char``, if one does."""
        k = bisect.bisect_left(self.starts, char)
        return k if k < len(self.starts) and self.starts[k] == char else None

    def sentence_of(self, i: int) -> Sentence:
        """The sentence of token ``i``."""
        return self.sents[bisect.bisect_right(self._sent_firsts, i) - 1]

    def node(self, i: int) -> Node:
        """The node of token ``i``."""
        if i < 0:
            raise IndexError(i)
        return self.sentence_of(i).node(i)

    def close(self) -> None:
        """Unlink the nodes from each other and from their sentences, so that reference
        counting frees the tree as soon as its last node is dropped (left as cycles, the
        nodes would keep Python's cyclic garbage collector busy: more than they cost to
        build). The tree and its nodes must not be used afterwards."""
        if self._whole is not None:
            _unlink(self._whole)
            for sent in self.sents:
                sent._nodes = sent._root = None
        else:
            for sent in self.sents:
                sent.release()
        self.sents, self._whole = [], None

    def spacy_edges(self) -> tuple[list[int], list[int]]:
        """Left and right edges of every token computed as spaCy's ``set_children_from_heads``
        does (a forward and a backward pass, repeated while its sentence check fails):
        exact for projective trees, not always otherwise, and ``Token.left_edge`` and
        ``Token.right_edge`` return these."""
        if self._edges is not None:
            return self._edges
        heads = self.heads
        n = len(heads)
        left, right = list(range(n)), list(range(n))
        for _ in range(12):
            for order in (range(n), range(n - 1, -1, -1)):
                for i in order:
                    h = heads[i]
                    if left[i] < left[h]:
                        left[h] = left[i]
                    if right[i] > right[h]:
                        right[h] = right[i]
            if _heads_within_sents(heads, left):
                break
        self._edges = left, right
        return self._edges

    def _nodes_of(self, sent: Sentence) -> list[Node]:
        if self._whole is None:
            if self._crossing is None:  # checked before the first build
                heads = self.heads
                self._crossing = any(
                    min(heads[s.start : s.end]) < s.start or max(heads[s.start : s.end]) >= s.end
                    for s in self.sents
                )
            if self._crossing:
                self._whole = self._build(0, len(self.heads))
        if self._whole is not None:
            return self._whole[sent.start : sent.end]
        return self._build(sent.start, sent.end)

    def _build(self, start: int, end: int) -> list[Node]:
        """The nodes of tokens [start, end), linked to their heads and children (the
        attributes rules seldom read, text, whitespace_ and is_alpha, are filled on first use:
        ``Node.__getattr__``)."""
        names = self._names.__getitem__
        sent = self.sentence_of(start)
        nodes = []
        lemmas = self.lemmas[start:end]
        for i, idx, lower, lemma, lemma_lower, dep, pos_, tag, ent in zip(
            range(start, end), self.starts[start:end], self._lowers[start:end], lemmas,
            map(str.lower, lemmas), self.deps[start:end],
            map(POS_NAMES.__getitem__, self._pos[start:end]),
            map(names, self._tags[start:end]), map(names, self._ents[start:end]), strict=True,
        ):  # fmt: skip
            node = Node()
            node.i, node.idx, node.lower_, node.lemma_ = i, idx, lower, lemma
            node.lemma_lower, node.dep_, node.pos_ = lemma_lower, dep, pos_
            node.tag_, node.ent_type_ = tag, ent
            node.sent = sent if i < sent.end else self.sentence_of(i)
            node.children = ()
            nodes.append(node)
        children: dict[int, list[Node]] = {}
        for node, h in zip(nodes, self.heads[start:end], strict=True):
            head = node.head = nodes[h - start]
            if head is not node:
                found = children.get(h)
                if found is None:
                    children[h] = [node]
                else:
                    found.append(node)
        for h, found in children.items():
            nodes[h - start].children = tuple(found)
        return nodes


class _Names(dict):
    """String ids to strings (``StringStore`` lookups), each id looked up once."""

    def __init__(self, strings: StringStore) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, key: int) -> str:
        value = self[key] = self.strings[key]
        return value


def _heads_within_sents(heads: list[int], left: list[int]) -> bool:
    """spaCy's check after each pass of edges (``_set_lr_kids_and_edges``): sentences start
    at the left edges of roots; no head may lie outside its token's sentence."""
    n = len(heads)
    sent_starts = {left[i] for i in range(n) if heads[i] == i}
    first = 0
    for i in range(n):
        if (i > 0 and i in sent_starts) or i == n - 1:
            if any(not first <= heads[j] <= i for j in range(first, i)):
                return False
            first = i
    return True
