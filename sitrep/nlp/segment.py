"""Sentence boundaries at paragraph breaks, set before the parser runs.

News text puts headlines, datelines and paragraphs on lines of their own, often without
final punctuation; the statistical parser then glues a headline to the first sentence. A
blank line is always a boundary in wire copy, so the token after one starts a sentence (the
parser keeps preset boundaries). A single line break is not: hard-wrapped wire text (Reuters)
breaks lines mid-sentence. After a single break we only mark a boundary when the line before
ends a sentence, which the parser would usually find anyway.
"""

from spacy.language import Language
from spacy.tokens import Doc

_FINAL = frozenset('.!?"”’»')


@Language.component("sitrep_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        if not (token.is_space and "\n" in token.text):
            continue
        if token.text.count("\n") >= 2 or (i > 0 and doc[i - 1].text[-1] in _FINAL):
            doc[i + 1].is_sent_start = True
    return doc
