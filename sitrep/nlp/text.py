"""The document text, read once per document and shared by every component.

spaCy's ``Doc.text`` re-joins every token on each access; inside loops that made it the
largest cost of several components. ``doc_text(doc)`` caches it in ``doc.user_data``.
"""

from spacy.tokens import Doc

TEXT_KEY = "sitrep.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data`` (re-read if the cached length is stale)."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    text = doc.text
    doc.user_data[TEXT_KEY] = text
    return text
