"""Quote extraction (first version): text between quote marks, speaker = nearest person."""


import re

from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import Quote

_QUOTE = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")


class QuoteExtractor:
    def __call__(self, doc: Doc) -> Doc:
        actors = doc._.sitrep_actors or []
        quotes = []
        for match in _QUOTE.finditer(doc.text):
            start, end = match.span(1)
            speaker = None
            best = None
            for actor in actors:
                if actor.kind != "person":
                    continue
                for m in actor.mentions:
                    dist = min(abs(m.start - end), abs(m.end - start))
                    if dist < 200 and (best is None or dist < best):
                        best, speaker = dist, actor.id
            kind = "direct" if len(match.group(1).split()) > 4 else "partial"
            quotes.append(Quote(f"Q{len(quotes) + 1}", speaker, match.group(1), kind, start, end))
        doc._.sitrep_quotes = quotes
        return doc


@Language.factory("sitrep_quotes")
def make_quote_extractor(nlp: Language, name: str) -> QuoteExtractor:
    return QuoteExtractor()
