"""Event extraction (first version): trigger lemmas mapped to PLOVER types."""


from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import Event, EventDate, Span

_TRIGGERS = {
    "attack": "ASSAULT", "strike": "ASSAULT", "kill": "ASSAULT", "shell": "ASSAULT",
    "meet": "CONSULT", "talk": "CONSULT", "visit": "CONSULT", "agree": "AGREE",
    "sign": "AGREE", "demand": "REQUEST", "urge": "REQUEST", "reject": "REJECT",
    "accuse": "ACCUSE", "condemn": "ACCUSE", "threaten": "THREATEN", "sanction": "SANCTION",
    "protest": "PROTEST", "arrest": "COERCE", "aid": "AID", "withdraw": "RETREAT",
}  # fmt: skip


class EventExtractor:
    def __call__(self, doc: Doc) -> Doc:
        spans = doc._.sitrep_actor_spans or {}
        events = []
        for tok in doc:
            etype = _TRIGGERS.get(tok.lemma_.lower())
            if etype is None or tok.pos_ not in ("VERB", "NOUN"):
                continue
            source = target = None
            for child in tok.children:
                for (s, e), actor_id in spans.items():
                    if s <= child.idx < e:
                        if child.dep_ in ("nsubj", "nsubjpass") and source is None:
                            source = actor_id
                        elif child.dep_ == "dobj" and target is None:
                            target = actor_id
            sent = tok.sent
            status = "denied" if any(c.dep_ == "neg" for c in tok.children) else "occurred"
            events.append(Event(
                id=f"E{len(events) + 1}", type=etype, source=source, target=target,
                evidence=Span(sent.text, sent.start_char, sent.end_char),
                trigger=Span(tok.text, tok.idx, tok.idx + len(tok.text)),
                date=EventDate(doc._.published, doc._.published, None, inferred=True),
                status=status, confidence=0.3,
            ))
        doc._.sitrep_events = events
        return doc


@Language.factory("sitrep_events")
def make_event_extractor(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor()
