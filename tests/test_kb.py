"""The actor knowledge base, fuzzy name matching, the PETRARCH importer and `sitrep kb`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.errors import SitrepError
from sitrep.resolve.actor_match import person_index, same_person
from sitrep.resolve.kb import KnowledgeBase, load_file, load_kb, norm
from sitrep.resolve.petrarch import parse_petrarch, to_people_tsv

MAY_2025 = dt.date(2025, 5, 19)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_kb_size_and_ids(kb: KnowledgeBase) -> None:
    people = list(kb.people())
    assert len(people) >= 500
    assert len({p.id for p in people}) == len(people)
    assert all(p.id.startswith(("Q", "sitrep:")) for p in people)
    assert len(kb.countries) >= 249  # every ISO 3166 country via pycountry


@pytest.mark.parametrize(
    ("name", "kb_id"),
    [("Putin", "Q7747"), ("Vladimir Putin", "Q7747"), ("Zelenskyy", "Q3874799"),
     ("NATO", "IGO-NATO"), ("International Atomic Energy Agency", "IGO-IAEA"),
     ("IAEA", "IGO-IAEA"), ("ICRC", "NGO-ICRC"), ("African Union", "IGO-AU"),
     ("OPEC", "IGO-OPEC"), ("WHO", "IGO-WHO"), ("Ukraine", "UKR"), ("US", "USA"),
     ("Côte d'Ivoire", "CIV"), ("Germany", "DEU")],
)  # fmt: skip
def test_exact_lookup(kb: KnowledgeBase, name: str, kb_id: str) -> None:
    assert kb_id in [e.id for e in kb.lookup(name)]


def test_acronyms_need_their_case(kb: KnowledgeBase) -> None:
    assert kb.lookup("who") == []
    assert kb.lookup("us") == []


def test_demonyms_and_metonyms(kb: KnowledgeBase) -> None:
    assert kb.demonyms[norm("Ukrainian")] == "UKR"
    assert kb.demonyms[norm("Hungarian")] == "HUN"
    assert kb.metonyms["kremlin"][:2] == ("RUS", "GOV")
    assert kb.metonyms["pentagon"][:2] == ("USA", "MIL")
    assert kb.metonyms["kiev"][0] == kb.metonyms["kyiv"][0] == "UKR"


def test_date_bounded_roles(kb: KnowledgeBase) -> None:
    def names(title: str, org: str, on: dt.date) -> set[str]:
        return {e.name for e in kb.holders(title, org, on)}

    assert names("president", "USA", MAY_2025) == {"Donald Trump"}
    assert names("president", "USA", dt.date(2023, 3, 1)) == {"Joe Biden"}
    assert names("president", "USA", dt.date(2019, 3, 1)) == {"Donald Trump"}
    assert names("chancellor", "DEU", dt.date(2024, 1, 1)) == {"Olaf Scholz"}
    assert names("chancellor", "DEU", dt.date(2025, 6, 1)) == {"Friedrich Merz"}
    assert names("foreign minister", "UKR", dt.date(2023, 1, 1)) == {"Dmytro Kuleba"}
    assert names("foreign minister", "UKR", MAY_2025) == {"Andrii Sybiha"}
    assert names("secretary-general", "IGO-NATO", dt.date(2020, 1, 1)) == {"Jens Stoltenberg"}
    assert names("secretary-general", "IGO-NATO", MAY_2025) == {"Mark Rutte"}
    assert "Vladimir Putin" in names("leader", "RUS", dt.date(2010, 1, 1))


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [("Volodimir Zelenski", "Volodymyr Zelensky"), ("Jay Di Vans", "JD Vance"),
     ("Steve Witkov", "Steve Witkoff"), ("Steve Whitkov", "Steve Witkoff"),
     ("Kiril Dmitryv", "Kirill Dmitriev"), ("Lindsay Graham", "Lindsey Graham"),
     ("Sergej Lawrow", "Sergey Lavrov"), ("Benjamin Netanjahu", "Benjamin Netanyahu"),
     ("Emanuel Makron", "Emmanuel Macron"), ("Mark Rute", "Mark Rutte"),
     ("Recep Erdogan", "Recep Tayyip Erdogan"), ("Vladimir Poutin", "Vladimir Putin"),
     ("Zelenski", "Volodymyr Zelensky")],
)  # fmt: skip
def test_variants_resolve(kb: KnowledgeBase, variant: str, canonical: str) -> None:
    hit = person_index(kb).match(variant)
    assert hit is not None, variant
    assert kb.entries[hit[0]].name == canonical


@pytest.mark.parametrize(
    ("near_miss", "must_not_be"),
    [("Dan Sullivan", "Jake Sullivan"), ("Mike Walsh", "Mike Waltz"),
     ("Eric Green", "Richard Grenell"), ("Ron Paul", "Rand Paul"),
     ("Tim Risch", "Jim Risch"), ("John Kelly", "John Kerry"),
     ("Andrei Kochnikov", "Andrei Kolesnikov"), ("David Miliband", "Ed Miliband"),
     ("Boris Jonsen", "Mike Johnson")],
)  # fmt: skip
def test_near_misses_stay_apart(kb: KnowledgeBase, near_miss: str, must_not_be: str) -> None:
    hit = person_index(kb).match(near_miss)
    assert hit is None or kb.entries[hit[0]].name != must_not_be


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kim Jong Un", "Kim Jong Il"), ("Mohammed bin Salman", "Mohamed bin Zayed"),
     ("Jens Stoltenberg", "Gerhard Stoltenberg"), ("Donald Trump", "Donald Tusk"),
     ("Dmitry Peskov", "Dmitry Medvedev"), ("Kirill Dmitriev", "Kyrylo Budanov"),
     ("Alexei Navalny", "Yulia Navalnaya")],
)  # fmt: skip
def test_close_kb_people_keep_their_own_entries(kb: KnowledgeBase, a: str, b: str) -> None:
    index = person_index(kb)
    ha, hb = index.match(a), index.match(b)
    assert ha is not None and hb is not None
    assert ha[0] != hb[0]
    assert kb.entries[ha[0]].name == a and kb.entries[hb[0]].name == b


def test_same_person_short_forms() -> None:
    assert same_person("Green", ["Eric Green"]) >= 0.9
    assert same_person("Zelenski", ["Volodymyr Zelensky"]) >= 0.9
    assert same_person("Graham", ["Lindsay Graham"]) >= 0.9
    assert same_person("Grant", ["Eric Green"]) == 0.0
    assert same_person("Harris", ["Kamala Harris", "Harrison Ford"]) >= 0.9
    assert same_person("Smith", ["Eric Green"]) == 0.0


PETRARCH = """\
# a small dictionary written for this test
JANE_Q_EXAMPLE_ [GBRGOV]
+JANE_EXAMPLE_
+J._Q._EXAMPLE_
[GBRLEG 050101-141231]
JOHN_SAMPLE_ # comment
\t[FRAMIL >200301]
\t[FRAGOV <991231]
"""


def test_petrarch_import(tmp_path: Path) -> None:
    src = tmp_path / "test.actors.txt"
    src.write_text(PETRARCH, encoding="utf-8")
    actors = parse_petrarch(src)
    assert [a.name for a in actors] == ["Jane Q Example", "John Sample"]
    assert actors[0].aliases == ["Jane Example", "J. Q. Example"]
    assert actors[0].roles == [("GBR", "GOV", "", ""), ("GBR", "LEG", "2005-01-01", "2014-12-31")]
    assert actors[1].roles == [("FRA", "MIL", "2020-03-01", ""), ("FRA", "GOV", "", "1999-12-31")]
    out = tmp_path / "people.tsv"
    out.write_text(to_people_tsv(actors), encoding="utf-8")
    kb = KnowledgeBase()
    load_file(kb, out)
    jane = kb.lookup("Jane Example")[0]
    assert jane.name == "Jane Q Example"
    assert jane.role_on(dt.date(2010, 6, 1)).sector == "LEG"


@pytest.mark.parametrize(
    ("text", "code"),
    [("+ALIAS_FIRST_\n", "E102"), ("[USAGOV 991399]\n", "E102"),
     ("NAME_\n[USAGOV 991301-]\n", "E102")],
)  # fmt: skip
def test_petrarch_errors(tmp_path: Path, text: str, code: str) -> None:
    src = tmp_path / "bad.txt"
    src.write_text(text, encoding="utf-8")
    with pytest.raises(SitrepError) as err:
        parse_petrarch(src)
    assert err.value.code == code


def test_bad_user_kb_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tname\tgender\taliases\troles\nx\tSomeone\t\t\tUSA,GOV,president\n")
    with pytest.raises(SitrepError) as err:
        load_file(KnowledgeBase(), bad)
    assert err.value.code == "E101"
    odd = tmp_path / "odd.tsv"
    odd.write_text("foo\tbar\n1\t2\n")
    with pytest.raises(SitrepError) as err:
        load_file(KnowledgeBase(), odd)
    assert err.value.code == "E100"


def test_user_kb_extends(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "id\tname\tgender\taliases\troles\n"
        "sitrep:test-olga-brightwater\tOlga Brightwater\tf\tBrightwater\tNOR,GOV,foreign minister,2030,\n"
        "x-putin\tVladimir Putin\t\tThe Judo Man\t\n",
        encoding="utf-8",
    )
    kb = load_kb((str(extra),))
    assert kb.lookup("Brightwater")[0].id == "sitrep:test-olga-brightwater"
    holders = [e.id for e in kb.holders("foreign minister", "NOR", dt.date(2031, 1, 1))]
    assert "sitrep:test-olga-brightwater" in holders
    assert "sitrep:test-olga-brightwater" not in [
        e.id for e in kb.holders("foreign minister", "NOR", dt.date(2029, 1, 1))
    ]
    assert kb.lookup("The Judo Man")[0].id == "Q7747"  # merged into the known person


def test_cli_kb(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["kb", "lookup", "Steve Whitkov", "--date", "2025-05-19"])
    assert (
        res.exit_code == 0
        and "sitrep:steve-witkoff" in res.output
        and "special envoy" in res.output
    )
    res = runner.invoke(main, ["kb", "lookup", "Putin", "--date", "2010-01-01"])
    assert "prime minister" in res.output
    res = runner.invoke(main, ["kb", "lookup", "Putin", "--date", "2010-13-01"])
    assert res.exit_code == 2 and "E103" in res.output
    res = runner.invoke(main, ["kb", "lookup", "Qwzx Plorb"])
    assert res.exit_code == 1
    src = tmp_path / "d.txt"
    src.write_text(PETRARCH, encoding="utf-8")
    out = tmp_path / "o.tsv"
    res = runner.invoke(main, ["kb", "import-petrarch", str(src), "-o", str(out)])
    assert res.exit_code == 0 and out.exists() and "2 actors" in res.output
    res = runner.invoke(
        main, ["kb", "lookup", "John Sample", "--kb", str(out), "--date", "2021-01-01"]
    )
    assert res.exit_code == 0 and "FRA" in res.output


# -- coverage of armed groups, parties and international bodies (organizations.tsv) --------


@pytest.mark.parametrize(
    ("name", "kb_id", "country"),
    [("RENAMO", "MOZ-RENAMO", "MOZ"), ("Renamo", "MOZ-RENAMO", "MOZ"),
     ("FMLN", "SLV-FMLN", "SLV"), ("Zapatistas", "MEX-EZLN", "MEX"),
     ("Contras", "NIC-CONTRAS", "NIC"), ("Abu Sayyaf", "PHL-ASG", "PHL"),
     ("Moro Islamic Liberation Front", "PHL-MILF", "PHL"), ("NPA", "PHL-NPA", "PHL"),
     ("ULFA", "IND-ULFA", "IND"), ("Naxalites", "IND-NAXAL", "IND"),
     ("Hizbul Mujahideen", "IND-HM", "IND"), ("Lashkar-e-Toiba", "PAK-LET", "PAK"),
     ("Jaish-e-Mohammad", "PAK-JEM", "PAK"), ("Pakistani Taliban", "PAK-TTP", "PAK"),
     ("Ulster Volunteer Force", "GBR-UVF", "GBR"), ("Real IRA", "GBR-RIRA", "GBR"),
     ("Amal movement", "LBN-AMAL", "LBN"), ("Kataib Hezbollah", "IRQ-KH", "IRQ"),
     ("Hashd al-Shaabi", "IRQ-PMF", "IRQ"), ("Nusra Front", "SYR-NUSRA", "SYR"),
     ("NLA", "MKD-NLA", "MKD"), ("Chechen rebels", "RUS-CHECHREB", "RUS"),
     ("SPLM-IO", "SSD-SPLMIO", "SSD"), ("TPLF", "ETH-TPLF", "ETH"),
     ("FDLR", "RWA-FDLR", "RWA"), ("Interahamwe", "RWA-INTERAHAMWE", "RWA"),
     ("Donetsk People's Republic", "UKR-DPR", "UKR"), ("Mujahedin-e Khalq", "IRN-MEK", "IRN"),
     ("AQIM", "IMG-AQIM", "IMG"), ("ISIS-K", "IMG-ISKP", "IMG"),
     ("Hizballah", "LBN-HEZBOLLAH", "LBN"), ("al-Qaida", "IMG-AQ", "IMG"),
     ("Bharatiya Janata Party", "IND-BJP", "IND"), ("ZANU-PF", "ZWE-ZANUPF", "ZWE"),
     ("Sandinistas", "NIC-FSLN", "NIC"), ("Kuomintang", "TWN-KMT", "TWN")],
)  # fmt: skip
def test_armed_groups_and_parties(kb: KnowledgeBase, name: str, kb_id: str, country: str) -> None:
    hits = kb.lookup(name)
    assert hits and hits[0].id == kb_id, name
    assert hits[0].country == country


@pytest.mark.parametrize(
    ("name", "kb_id"),
    [("SAARC", "IGO-SAARC"), ("Mercosur", "IGO-MERCOSUR"), ("ICTY", "IGO-ICTY"),
     ("International Criminal Tribunal for Rwanda", "IGO-ICTR"), ("UNMISS", "IGO-UNMISS"),
     ("AMISOM", "IGO-AMISOM"), ("ECOMOG", "IGO-ECOMOG"), ("KFOR", "IGO-KFOR"),
     ("Oxfam", "NGO-OXFAM"), ("Committee to Protect Journalists", "NGO-CPJ"),
     ("Reporters Without Borders", "NGO-RWB"), ("Save the Children", "NGO-STC")],
)  # fmt: skip
def test_international_bodies_and_ngos(kb: KnowledgeBase, name: str, kb_id: str) -> None:
    assert kb.lookup(name)[0].id == kb_id


def test_short_group_acronyms_need_their_case(kb: KnowledgeBase) -> None:
    for word in ("eta", "npa", "adf", "ruf", "nla", "kia", "rsf"):
        assert kb.lookup(word) == [], word
    # RSF stays the Sudanese paramilitary; the press-freedom group is spelt out
    assert kb.lookup("RSF")[0].id == "SDN-RSF"


@pytest.fixture(scope="module")
def actor_nlp():
    import spacy

    import sitrep.resolve.actors  # noqa: F401  (registers the factory)
    from sitrep.config import DEFAULT_MODEL
    from sitrep.nlp.extensions import register_extensions

    register_extensions()
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("sitrep_actors")
    return nlp


def _kb_ids(nlp, text: str, published: str = "2025-05-19") -> dict[str, str | None]:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    actors = {a.id: a for a in doc._.sitrep_actors}
    return {text[s:e]: actors[i].kb_id for (s, e), i in doc._.sitrep_actor_spans.items()}


@pytest.mark.parametrize(
    ("text", "surface", "kb_id"),
    [("The Amal movement and its allies won every seat in the south.", "Amal movement", "LBN-AMAL"),
     ("Shining Path guerrillas attacked a police post in the Andes.", "Shining Path guerrillas", "PER-SL"),
     ("Renamo rebels attacked a train, and Frelimo said talks would resume.", "Renamo", "MOZ-RENAMO"),
     ("The Azov Regiment held the steel plant for weeks.", "Azov Regiment", "UKR-AZOV"),
     ("Naxal rebels ambushed a police convoy in the forest.", "Naxal rebels", "IND-NAXAL")],
)  # fmt: skip
def test_groups_resolve_in_text(actor_nlp, text: str, surface: str, kb_id: str) -> None:
    assert _kb_ids(actor_nlp, text).get(surface) == kb_id


@pytest.mark.parametrize(
    ("text", "word"),
    [("Amal Clooney represented the journalists in court.", "Amal"),
     ("A shining path led through the garden to the lake.", "shining path"),
     ("The eta of the cargo ship was pushed back by a day.", "eta"),
     ("Grain ships left ports on the Sea of Azov at dawn.", "Azov"),
     ("The Ministry of Law and Justice issued a notice on Monday.", "Law and Justice"),
     ("Let the record show that the npa figures were revised.", "Let"),
     ("Contra dance evenings are popular in the town hall.", "Contra")],
)  # fmt: skip
def test_common_words_are_not_groups(actor_nlp, text: str, word: str) -> None:
    ids = _kb_ids(actor_nlp, text)
    bad = {
        "LBN-AMAL",
        "PER-SL",
        "ESP-ETA",
        "UKR-AZOV",
        "POL-PIS",
        "PAK-LET",
        "PHL-NPA",
        "NIC-CONTRAS",
    }
    assert not bad & set(ids.values()), (word, ids)


# -- past leaders with dated roles (people.tsv) ----------------------------------------------


@pytest.mark.parametrize(
    ("title", "org", "on", "name"),
    [("general secretary", "RUS", dt.date(1983, 6, 1), "Yuri Andropov"),
     ("prime minister", "JPN", dt.date(1988, 6, 1), "Noboru Takeshita"),
     ("president", "PER", dt.date(1983, 1, 1), "Fernando Belaunde Terry"),
     ("president", "SLV", dt.date(1986, 1, 1), "Jose Napoleon Duarte"),
     ("president", "RWA", dt.date(1994, 5, 1), "Theodore Sindikubwabo"),
     ("president", "YEM", dt.date(2015, 3, 1), "Abdrabbuh Mansur Hadi"),
     ("president", "NER", dt.date(2022, 1, 1), "Mohamed Bazoum"),
     ("prime minister", "THA", dt.date(2012, 1, 1), "Yingluck Shinawatra"),
     ("chancellor", "AUT", dt.date(1990, 1, 1), "Franz Vranitzky"),
     ("defence minister", "ISR", dt.date(2014, 1, 1), "Moshe Yaalon"),
     ("foreign minister", "UKR", dt.date(2016, 1, 1), "Pavlo Klimkin")],
)  # fmt: skip
def test_past_office_holders(
    kb: KnowledgeBase, title: str, org: str, on: dt.date, name: str
) -> None:
    assert name in {e.name for e in kb.holders(title, org, on)}


@pytest.mark.parametrize(
    ("surname", "country"),
    [("Mubarak", "EGY"), ("Habyarimana", "RWA"), ("Mwanawasa", "ZMB"), ("Bouteflika", "DZA"),
     ("Shevardnadze", "GEO"), ("Andropov", "RUS"), ("Dhlakama", "MOZ"), ("Yatsenyuk", "UKR"),
     ("Sankara", "BFA"), ("Banisadr", "IRN"), ("Tsipras", "GRC"), ("Magufuli", "TZA"),
     ("Kadhafi", "LBY"), ("Bashir", "SDN"), ("Timochenko", "COL")],
)  # fmt: skip
def test_surnames_resolve_to_their_country(kb: KnowledgeBase, surname: str, country: str) -> None:
    hits = [e for e in kb.lookup(surname) if e.kind == "person"]
    assert hits, surname
    assert hits[0].country == country


def test_people_rows_are_well_formed() -> None:
    from sitrep.resolve.kb import DATA_DIR, parse_roles

    seen: set[str] = set()
    for n, line in enumerate((DATA_DIR / "people.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        cells = line.split("\t")
        assert len(cells) == 5, n
        assert cells[0] not in seen, cells[0]
        seen.add(cells[0])
        for role in parse_roles(cells[4], "people.tsv", n):
            assert role.start is None or role.end is None or role.start <= role.end, (n, role)


@pytest.mark.parametrize(
    ("text", "not_id"),
    [("Missouri farmers protested the new rules on Monday.", "sitrep:nur-misuari"),
     ("Burton said the bank would keep growing.", "sitrep:john-bruton"),
     ("Grossman said the fund would be closed.", "sitrep:volodymyr-groysman"),
     ("Ghazni was quiet after the attack.", "sitrep:mohamed-ould-ghazouani")],
)  # fmt: skip
def test_surname_aliases_do_not_catch_near_names(actor_nlp, text: str, not_id: str) -> None:
    """A listed surname is matched fuzzily, so one close to a common name or town is left out."""
    assert not_id not in _kb_ids(actor_nlp, text).values()
