"""Actor resolution (first version): group named-entity mentions into actors.

Later versions resolve against the knowledge base; this one groups PERSON / ORG / NORP
mentions by normalised name and folds surnames into the full name seen earlier.
"""


from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import Actor, Span

_KINDS = {"PERSON": "person", "ORG": "organization", "NORP": "group"}


class ActorResolver:
    def __init__(self, nlp: Language, name: str, extra_kb: list[str]) -> None:
        self.extra_kb = extra_kb

    def __call__(self, doc: Doc) -> Doc:
        actors: list[Actor] = []
        by_key: dict[str, Actor] = {}
        spans: dict[tuple[int, int], str] = {}
        for ent in doc.ents:
            kind = _KINDS.get(ent.label_)
            if kind is None:
                continue
            key = ent.text.lower().removeprefix("the ")
            actor = by_key.get(key)
            if actor is None and kind == "person":
                actor = next(
                    (a for a in actors if a.kind == "person" and a.name.split()[-1].lower() == key),
                    None,
                )
            if actor is None:
                actor = Actor(id=f"A{len(actors) + 1}", name=ent.text, kind=kind)
                actors.append(actor)
            by_key[key] = actor
            actor.mentions.append(Span(ent.text, ent.start_char, ent.end_char))
            spans[(ent.start_char, ent.end_char)] = actor.id
        doc._.sitrep_actors = actors
        doc._.sitrep_actor_spans = spans
        return doc


@Language.factory("sitrep_actors", default_config={"extra_kb": []})
def make_actor_resolver(nlp: Language, name: str, extra_kb: list[str]) -> ActorResolver:
    return ActorResolver(nlp, name, extra_kb)
