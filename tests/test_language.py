"""Language identification: the ASCII shortcut gives what the general path gives."""

from sitrep.ingest.language import detect_language

ENGLISH = (
    "The foreign minister said on Monday that talks with the rebels would resume in Geneva "
    "next week, and that both sides had agreed to exchange prisoners."
)
GERMAN = (
    "Der Minister sagte am Montag, dass die Gespräche mit den Rebellen in der nächsten Woche "
    "in Genf fortgesetzt werden und dass sich beide Seiten auf einen Austausch geeinigt haben."
)
FRENCH = (
    "Le ministre a dit lundi que les pourparlers avec les rebelles reprendraient la semaine "
    "prochaine a Geneve et que les deux parties sont pour un echange de prisonniers."
)


def test_ascii_and_unicode_texts_are_scored_alike():
    lang, score = detect_language(ENGLISH)
    assert lang == "en" and score > 0.1
    # one non-ASCII letter takes the general path: the same decision, the same score
    assert detect_language(ENGLISH.replace("Geneva", "Genève")) == (lang, score)
    assert detect_language(FRENCH)[0] == "fr"
    assert detect_language(GERMAN)[0] == "de"
    assert detect_language("Москва и Киев провели переговоры в Стамбуле в понедельник.")[0] == "ru"


def test_too_little_text_is_undecided():
    assert detect_language("12 34 56 78 -- 90") == ("und", 0.0)
    assert detect_language("a b c d e f g h i j k l m n o p q r s") == ("und", 0.0)
