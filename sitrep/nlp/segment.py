"""Sentence boundaries at line breaks, set before the parser runs.

News text puts headlines, datelines and paragraphs on their own lines without final
punctuation; the statistical parser then glues a headline to the first sentence. A line
break is a boundary in wire copy, so we mark the token after one as a sentence start
(the parser keeps preset boundaries).
"""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("sitrep_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        if token.is_space and "\n" in token.text:
            doc[i + 1].is_sent_start = True
    return doc
