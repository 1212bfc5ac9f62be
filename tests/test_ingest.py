"""Ingest: HTML, CSV, globs, URLs, feeds, watch, near-duplicates, bad input.

Network tests talk only to an http.server started here on 127.0.0.1 (with
--allow-private); addresses refused by policy are refused before any connection.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.errors import InputError
from sitrep.ingest.dedup import signature
from sitrep.ingest.feeds import parse_feed
from sitrep.ingest.fetch import FetchOptions, fetch
from sitrep.ingest.readers import RawArticle, iter_inputs
from sitrep.ingest.sources import IngestOptions
from sitrep.store import open_store

STORY = (
    "Rebel fighters attacked an army checkpoint near the town of Goma on Tuesday, killing seven"
    " soldiers and wounding twelve others, a military spokesman said. The spokesman said the"
    " attackers used rifles and grenades and fled into the forest after a two-hour battle."
    " Residents said the shooting began shortly after dawn and that many families left their"
    " homes for the city centre. The provincial governor called for calm and promised that"
    " troops would be sent to secure the main road. Aid groups said they were preparing to"
    " deliver food and medicine to the displaced families in the coming days. The United"
    " Nations mission in the country condemned the attack and urged all sides to respect the"
    " ceasefire agreed in March."
)
STORY_EDITED = STORY.replace(
    "a military spokesman said", "an army spokesman told reporters"
).replace("Tuesday", "Tuesday morning")
OTHER = ("Police arrested twelve protesters in Nairobi on Monday after clashes near parliament,"
         " officials said. The protesters were demanding lower food prices.")  # fmt: skip


def page(title: str, body: str, date: str = "2025-05-18") -> bytes:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (f"<!DOCTYPE html><html><head><title>{title} | Example News</title>"
            f'<meta name="author" content="Jane Roe">'
            f'<meta property="article:published_time" content="{date}T08:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>Copyright Example News</footer>"
            f"</body></html>").encode()  # fmt: skip


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
           "<title>Example Wire</title><link>http://example.invalid/</link>"]  # fmt: skip
    for guid, link, content in items:
        out.append(f"<item><guid>{guid}</guid><title>Item {guid}</title><link>{link}</link>"
                   "<pubDate>Sun, 18 May 2025 08:00:00 GMT</pubDate>")  # fmt: skip
        if content:
            out.append(f"<description><![CDATA[{content}]]></description>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


BOMB = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
        b"<rss version=\"2.0\"><channel><title>&e;</title><item><title>&e;</title></item>"
        b"</channel></rss>")  # fmt: skip


def gzip_bomb() -> bytes:
    import gzip

    return gzip.compress(b"<html><body>" + b" " * 30_000_000, compresslevel=1)


class Site:
    """Routes served by the test server; ``feed_items`` can change between polls."""

    def __init__(self) -> None:
        self.feed_items: list[tuple[str, str, str | None]] = []
        self.requests: list[str] = []
        self.base = ""


@pytest.fixture()
def site() -> Iterator[Site]:
    state = Site()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            state.requests.append(self.path + " UA=" + self.headers.get("User-Agent", ""))
            p = self.path
            if p == "/story.html":
                self.send(200, page("Checkpoint attacked near Goma", STORY))
            elif p == "/edited.html":
                self.send(200, page("Army checkpoint attacked", STORY_EDITED))
            elif p == "/other.html":
                self.send(200, page("Protesters arrested", OTHER))
            elif p == "/plain.txt":
                self.send(200, OTHER.encode(), "text/plain; charset=utf-8")
            elif p == "/feed.xml":
                body = rss(state.feed_items)
                tag = f'"{__import__("hashlib").sha1(body).hexdigest()[:16]}"'
                if self.headers.get("If-None-Match") == tag:
                    state.requests[-1] += " 304"
                    self.send(304, b"", headers={"ETag": tag})
                else:
                    self.send(200, body, "application/rss+xml", headers={"ETag": tag})
            elif p == "/bomb.xml":
                self.send(200, BOMB, "application/rss+xml")
            elif p == "/broken.xml":
                self.send(200, b"<rss><channel><item><title>oops</ti", "application/rss+xml")
            elif p == "/loop":
                self.send(302, b"", headers={"Location": "/loop2"})
            elif p == "/loop2":
                self.send(302, b"", headers={"Location": "/loop"})
            elif p.startswith("/hop/"):
                n = int(p.rsplit("/", 1)[1])
                self.send(302, b"", headers={"Location": f"/hop/{n - 1}" if n else "/story.html"})
            elif p == "/huge":
                self.send(200, b"<html><body>" + b"x" * 300_000 + b"</body></html>")
            elif p == "/slow":
                __import__("time").sleep(1.5)
                self.send(200, b"late")
            elif p == "/gzbomb":
                self.send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
            elif p == "/image.png":
                self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
            else:
                self.send(500 if p == "/error" else 404, b"nope")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OPEN = FetchOptions(allow_private=True, timeout=5)


def one(items: Iterator[RawArticle | InputError]) -> RawArticle | InputError:
    out = list(items)
    assert len(out) == 1, out
    return out[0]


# -- fetch rules -------------------------------------------------------------------------


def test_fetch_html_page_with_metadata(site: Site) -> None:
    art = one(iter_inputs([site.base + "/story.html"], IngestOptions(fetch=OPEN)))
    assert isinstance(art, RawArticle)
    assert art.text.startswith("Rebel fighters attacked") and "Copyright" not in art.text
    assert art.title == "Checkpoint attacked near Goma" and art.published == "2025-05-18"
    assert art.author == "Jane Roe"
    assert art.url == site.base + "/story.html"
    assert "sitrep/" in site.requests[-1]  # a proper user agent


def test_cli_analyze_url(site: Site, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'u.db'}"
    url = site.base + "/story.html"
    refused = CliRunner().invoke(main, ["analyze", url, "--db", db, "--format", "jsonl"])
    assert (
        refused.exit_code == 1
        and "error[E311]" in refused.stderr
        and "--allow-private" in refused.stderr
    )
    assert site.requests == []
    ok = CliRunner().invoke(main, ["analyze", url, site.base + "/missing", "--allow-private",
                                   "--db", db, "--format", "jsonl"])  # fmt: skip
    assert ok.exit_code == 1 and "error[E314]" in ok.stderr and "stored 1 new" in ok.stderr
    doc = json.loads(ok.stdout.splitlines()[0])
    assert (
        doc["article"]["url"] == url and doc["article"]["title"] == "Checkpoint attacked near Goma"
    )


def test_private_addresses_refused_without_permission(site: Site) -> None:
    for url in (site.base + "/story.html", "http://10.1.2.3/x", "http://169.254.169.254/latest",
                "http://[::1]/x", "http://localhost/x"):  # fmt: skip
        with pytest.raises(InputError) as err:
            fetch(url, FetchOptions(timeout=2))
        assert err.value.code == "E311", url
    assert site.requests == []  # refused before connecting


def test_redirects_bounded_and_loops_detected(site: Site) -> None:
    assert fetch(site.base + "/hop/3", OPEN).url.endswith("/story.html")
    with pytest.raises(InputError) as err:
        fetch(site.base + "/hop/9", FetchOptions(allow_private=True, max_redirects=5))
    assert err.value.code == "E312"
    with pytest.raises(InputError) as err:
        fetch(site.base + "/loop", OPEN)
    assert err.value.code == "E312" and "loop" in err.value.message


def test_size_limit_http_errors_and_unreachable(site: Site) -> None:
    with pytest.raises(InputError) as err:
        fetch(site.base + "/huge", FetchOptions(allow_private=True, max_bytes=100_000))
    assert err.value.code == "E313"
    with pytest.raises(InputError) as err:
        fetch(site.base + "/gzbomb", OPEN)  # 30 MB once decompressed; the limit is 10 MB
    assert err.value.code == "E313"
    with pytest.raises(InputError) as err:
        fetch(site.base + "/slow", FetchOptions(allow_private=True, timeout=0.3))
    assert err.value.code == "E310" and "timed out" in err.value.message
    with pytest.raises(InputError) as err:
        fetch(site.base + "/error", OPEN)
    assert err.value.code == "E314" and "500" in err.value.message
    with pytest.raises(InputError) as err:
        fetch(f"http://127.0.0.1:{closed_port()}/x", OPEN)
    assert err.value.code == "E310"
    with pytest.raises(InputError) as err:
        fetch("ftp://127.0.0.1/x", OPEN)
    assert err.value.code == "E315"


# -- feeds -------------------------------------------------------------------------------


def test_feed_entity_bomb_and_malformed_feeds(site: Site) -> None:
    with pytest.raises(InputError) as err:
        parse_feed(BOMB, "bomb.xml")
    assert err.value.code == "E318"
    with pytest.raises(InputError) as err:
        parse_feed(b"this is not a feed at all", "junk.xml")
    assert err.value.code == "E317"
    results = list(iter_inputs([site.base + "/bomb.xml", site.base + "/broken.xml",
                                site.base + "/plain.txt"], IngestOptions(fetch=OPEN)))  # fmt: skip
    codes = [r.code if isinstance(r, InputError) else "ok" for r in results]
    assert codes[0] == "E318" and codes[-1] == "ok"  # the rest of the batch goes on


def test_feed_items_inline_content_or_fetched_link(site: Site) -> None:
    site.feed_items = [("g1", site.base + "/story.html", None),
                       ("g2", site.base + "/unused", "<p>" + OTHER * 5 + "</p>")]  # fmt: skip
    out = list(iter_inputs([site.base + "/feed.xml"], IngestOptions(fetch=OPEN)))
    assert all(isinstance(a, RawArticle) for a in out), out
    first, second = out
    assert first.text.startswith("Rebel fighters") and first.source == "Example Wire"
    assert second.text.startswith("Police arrested") and second.id == "g2"
    assert second.published == "2025-05-18"
    assert not any("/unused" in r for r in site.requests)


def test_watch_stores_new_skips_seen_survives_down_feed(site: Site, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    down = f"http://127.0.0.1:{closed_port()}/feed.xml"
    site.feed_items = [("g1", site.base + "/story.html", None)]
    args = ["watch", site.base + "/feed.xml", down, "--once", "--allow-private", "--db", db]
    first = CliRunner().invoke(main, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "E310" in first.stderr and "1 stored" in first.stderr and "1 down" in first.stderr
    with open_store(db) as store:
        row = store.rows("SELECT title, author, source, url, document FROM articles")[0]
        assert (row["title"], row["author"], row["source"]) == (
            "Checkpoint attacked near Goma",
            "Jane Roe",
            "Example Wire",
        )
        assert json.loads(row["document"])["article"]["author"] == "Jane Roe"
    site.feed_items.append(("g2", site.base + "/other.html", None))
    site.feed_items.append(("g3", site.base + "/edited.html", None))  # near-duplicate of g1
    second = CliRunner().invoke(main, args, catch_exceptions=False)
    assert "2 new item(s): 1 stored" in second.stderr and "1 skipped" in second.stderr
    third = CliRunner().invoke(main, args, catch_exceptions=False)
    assert "0 new item(s)" in third.stderr
    with open_store(db) as store:
        assert store.count("articles") == 2
        assert store.count("feed_items") == 3
        feed = {r["url"]: r for r in store.rows("SELECT * FROM feeds")}
        assert feed[down]["failures"] == 3 and feed[site.base + "/feed.xml"]["failures"] == 0
        skipped = store.rows("SELECT reason, duplicate_of FROM skipped_articles")
        assert skipped[0]["reason"] == "near-duplicate" and skipped[0]["duplicate_of"]


def test_watch_polls_repeatedly(site: Site, tmp_path: Path) -> None:
    site.feed_items = [("g2", site.base + "/other.html", None)]
    args = ["watch", site.base + "/feed.xml", "--polls", "2", "--every", "0.2s", "--allow-private",
            "--db", f"sqlite:///{tmp_path / 'p.db'}"]  # fmt: skip
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "poll 1: 1 feed(s) ok (0 unchanged), 0 down; 1 new item(s): 1 stored" in result.stderr
    assert "poll 2: 1 feed(s) ok (1 unchanged), 0 down; 0 new item(s)" in result.stderr
    feed_requests = [r for r in site.requests if "/feed.xml" in r]
    assert len(feed_requests) == 2 and feed_requests[1].endswith(" 304")  # conditional GET


def test_watch_bad_interval() -> None:
    result = CliRunner().invoke(main, ["watch", "http://x.invalid/f", "--every", "soon"])
    assert result.exit_code == 2 and "E340" in result.stderr


# -- files -------------------------------------------------------------------------------


def test_html_csv_glob_and_columns(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_bytes(page("Checkpoint attacked", STORY))
    (tmp_path / "b.csv").write_text(
        'body,date,ref\n"' + OTHER + '",2025-05-02,r1\n"",2025-05-02,r2\n"' + OTHER
        + ' Again.",someday,r3\n', encoding="utf-8")  # fmt: skip
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"body": OTHER, "ref": "j1"}) + "\n", encoding="utf-8"
    )
    (tmp_path / "broken.html").write_bytes(b"<html><body><div><script>x</script></body></html>")
    opts = IngestOptions(columns=__import__("sitrep.ingest.csvin", fromlist=["Columns"]).Columns.parse(
        ["text=body", "published=date", "id=ref"]))  # fmt: skip
    out = list(iter_inputs([str(tmp_path)], opts))
    good = [a for a in out if isinstance(a, RawArticle)]
    bad = [e for e in out if isinstance(e, InputError)]
    assert sorted(a.id for a in good) == ["a", "j1", "r1"]
    assert sorted(e.code for e in bad) == ["E007", "E009", "E316"]
    html = next(a for a in good if a.id == "a")
    assert html.title == "Checkpoint attacked" and html.published == "2025-05-18"
    globbed = list(iter_inputs([str(tmp_path / "**" / "*.html")]))
    assert len(globbed) == 2
    none = one(iter_inputs([str(tmp_path / "*.nothing")]))
    assert isinstance(none, InputError) and none.code == "E320"


def test_stdin_html() -> None:
    result = CliRunner().invoke(main, ["analyze", "-", "--no-store", "--format", "json"],
                                input=page("Checkpoint attacked", STORY))  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["article"]["title"] == "Checkpoint attacked"
    assert doc["article"]["author"] == "Jane Roe" and "<p>" not in json.dumps(doc)


def test_stdin_jsonl_and_json_object() -> None:
    lines = json.dumps({"id": "s1", "body": OTHER}) + "\n{broken\n"
    result = CliRunner().invoke(main, ["analyze", "-", "--no-store", "--format", "jsonl",
                                       "--column", "text=body"], input=lines)  # fmt: skip
    assert result.exit_code == 1 and "<stdin>: line 2" in result.stderr
    assert [json.loads(x)["article"]["id"] for x in result.stdout.splitlines()] == ["s1"]
    pretty = json.dumps({"id": "s2", "text": OTHER, "published": "2025-05-02"}, indent=2)
    result = CliRunner().invoke(
        main, ["analyze", "-", "--no-store", "--format", "jsonl"], input=pretty
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["published"] == "2025-05-02"


def test_bad_column_spec(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", "x.csv", "--column", "body", "--no-store"])
    assert result.exit_code == 2 and "E321" in result.stderr


def test_near_duplicates_skipped_and_linked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'd.db'}"
    for name, text in (("first.txt", STORY), ("edited.txt", STORY_EDITED), ("other.txt", OTHER),
                       ("fr.txt", "Le président a déclaré mardi que les négociations avec la"
                        " Russie ne sont pas terminées et que la France continuera.")):  # fmt: skip
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert signature(STORY).similarity(signature(STORY_EDITED)) >= 0.7
    assert signature(STORY).similarity(signature(OTHER * 6)) < 0.2
    paths = [str(tmp_path / n) for n in ("first.txt", "edited.txt", "other.txt", "fr.txt")]
    first = CliRunner().invoke(main, ["analyze", *paths, "--db", db, "--format", "jsonl"])
    assert first.exit_code == 1  # the French article is an error
    assert "skipped[near-duplicate]" in first.stderr and "stored 2 new" in first.stderr
    assert len(first.stdout.splitlines()) == 2

    def snapshot() -> dict[str, object]:
        with open_store(db) as store:
            return {t: store.rows(f"SELECT * FROM {t} ORDER BY 1, 2")
                    for t in ("articles", "events", "skipped_articles", "quotes")}  # fmt: skip

    with open_store(db) as store:
        from sitrep.query import query_skipped

        dup = query_skipped(store, "near-duplicate")
        assert len(dup) == 1 and dup[0]["first_copy"] == "first" and dup[0]["similarity"] >= 0.7
    before = snapshot()
    skipped = {r["reason"]: r for r in before["skipped_articles"]}  # type: ignore[union-attr]
    assert skipped["language"]["language"] == "fr"
    assert skipped["near-duplicate"]["duplicate_of"] == before["articles"][0]["sha256"]  # type: ignore[index]
    again = CliRunner().invoke(main, ["analyze", *paths, "--db", db, "--format", "jsonl"])
    assert "stored 0 new" in again.stderr
    assert snapshot() == before  # analysing the same articles twice changes nothing


def test_english_tables_are_not_taken_for_another_language():
    from sitrep.ingest.language import is_english

    table = (
        "Shr 1.65 dlrs vs 1.50 dlrs\nNet 12.4 mln vs 11.2 mln\nRevs 210.5 mln vs 198.7 mln\n"
        "Nine mths\nShr 4.10 dlrs vs 3.85 dlrs\nNet 31.0 mln vs 28.9 mln\n"
        "Soybean basis, cents per bushel: May 2/1 D, Jun 3/2 D, per contract a unch"
    )
    assert is_english(table)[0]
    italian = (
        "Il governo ha annunciato martedì che i negoziati con i sindacati riprenderanno la "
        "prossima settimana a Roma, secondo il ministro degli affari esteri."
    )
    assert is_english(italian) == (False, "it")
