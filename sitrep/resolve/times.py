"""Time resolution (first version): DATE entities resolved with dateparser."""


import datetime as dt

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import TimeExpr


class TimeResolver:
    def __call__(self, doc: Doc) -> Doc:
        base = dt.datetime.fromisoformat(doc._.published) if doc._.published else None
        settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if base:
            settings["RELATIVE_BASE"] = base
        times = []
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
            value = parsed.date().isoformat() if parsed else None
            times.append(TimeExpr(ent.text, ent.start_char, ent.end_char, value,
                                  "day" if value else "unknown"))
        doc._.sitrep_times = times
        return doc


@Language.factory("sitrep_times")
def make_time_resolver(nlp: Language, name: str) -> TimeResolver:
    return TimeResolver()
