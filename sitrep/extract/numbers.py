"""Number extraction (first version): CARDINAL entities with their numeric value."""


from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import NumberExpr

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def to_number(text: str) -> float | None:
    cleaned = text.lower().replace(",", "").strip()
    if cleaned in _WORDS:
        return float(_WORDS[cleaned])
    try:
        return float(cleaned)
    except ValueError:
        return None


class NumberExtractor:
    def __call__(self, doc: Doc) -> Doc:
        numbers = []
        for ent in doc.ents:
            if ent.label_ != "CARDINAL":
                continue
            value = to_number(ent.text)
            if value is not None:
                numbers.append(NumberExpr(ent.text, ent.start_char, ent.end_char, value))
        doc._.sitrep_numbers = numbers
        return doc


@Language.factory("sitrep_numbers")
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor()
