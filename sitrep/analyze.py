"""Run the pipeline over articles and assemble ``Document`` records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from sitrep.config import Config
from sitrep.errors import Errors, InputError
from sitrep.ingest.language import is_english
from sitrep.ingest.readers import RawArticle, parse_published
from sitrep.nlp.pipeline import load_pipeline
from sitrep.nlp.text import doc_text, seed_doc_text
from sitrep.records import ArticleMeta, Document


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _prepare(raw: RawArticle, config: Config) -> tuple[Doc, ArticleMeta]:
    """Validate one article and make its (unprocessed) Doc; raises InputError."""
    if not raw.text.strip():
        raise InputError(Errors.E010, input=raw.origin)
    language = "en"
    if config.check_language:
        ok, language = is_english(raw.text)
        if not ok:
            raise InputError(Errors.E008, input=raw.origin, language=language)
        language = "en"
    published = parse_published(raw.published, raw.origin)
    meta = ArticleMeta(
        id=raw.id, title=raw.title, source=raw.source, url=raw.url,
        published=published, language=language, sha256=text_sha256(raw.text),
        author=getattr(raw, "author", None),
    )  # fmt: skip
    nlp = load_pipeline(config)
    doc = nlp.make_doc(raw.text)
    seed_doc_text(doc, raw.text)  # Doc.text would re-join the tokens
    doc._.published = published
    return doc, meta


def doc_to_document(doc: Doc, meta: ArticleMeta) -> Document:
    return Document(
        article=meta,
        text=doc_text(doc),
        actors=doc._.sitrep_actors or [],
        places=doc._.sitrep_places or [],
        times=doc._.sitrep_times or [],
        numbers=doc._.sitrep_numbers or [],
        events=doc._.sitrep_events or [],
        quotes=doc._.sitrep_quotes or [],
    )


def analyze_many(
    articles: Iterable[RawArticle | InputError], config: Config | None = None
) -> Iterator[Document | InputError]:
    """Analyse articles in input order, batching through ``nlp.pipe``.

    Bad items come back as ``InputError`` in their place; good ones as ``Document``.
    """
    config = config or Config()
    nlp = load_pipeline(config)
    pending: list[tuple[Doc, ArticleMeta] | InputError] = []

    def flush() -> Iterator[Document | InputError]:
        docs = [item[0] for item in pending if not isinstance(item, InputError)]
        processed = iter(nlp.pipe(docs, batch_size=config.batch_size))
        for item in pending:
            if isinstance(item, InputError):
                yield item
            else:
                yield doc_to_document(next(processed), item[1])
        pending.clear()

    for raw in articles:
        if isinstance(raw, InputError):
            pending.append(raw)
        else:
            try:
                pending.append(_prepare(raw, config))
            except InputError as err:
                pending.append(err)
        if len(pending) >= config.batch_size:
            yield from flush()
    yield from flush()


def analyze(
    text: str,
    published: str | None = None,
    *,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    id: str | None = None,
    config: Config | None = None,
) -> Document:
    """Analyse one article text. Raises ``InputError`` for unusable input."""
    raw = RawArticle(text=text, origin=id or "<text>", id=id, title=title,
                     published=published, source=source, url=url)  # fmt: skip
    result = next(analyze_many([raw], config))
    if isinstance(result, InputError):
        raise result
    return result
