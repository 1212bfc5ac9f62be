"""``sitrep serve``: the HTTP API and the offline dashboard in one process."""

from __future__ import annotations

import logging
import os
import socket
import threading

import click

from sitrep.config import Config
from sitrep.errors import Errors, SitrepError

log = logging.getLogger(__name__)


def _warm_dashboard(url: str) -> None:
    """Precompute the unfiltered dashboard charts in the background."""
    from sitrep.web.aggregates import warm
    from sitrep.web.deps import store_for

    try:
        warm(store_for(url))
    except Exception as exc:  # a warm-up failure must not stop the server
        log.warning("dashboard warm-up failed: %s", exc)


def _check_port(host: str, port: int) -> None:
    """Fail with one line (E406) when the address cannot be bound (in use, bad host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(infos[0][4])
    except OSError as exc:
        raise SitrepError(
            Errors.E406, host=host, port=port, detail=exc.strerror or str(exc)
        ) from None


@click.command("serve")
@click.option(
    "--db", "db_url", help="Database URL or SQLite path (default: $SITREP_DB or user data dir)."
)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Off loopback, writes need a token.")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", help="API token for write endpoints (default: $SITREP_TOKEN).")
@click.option("--no-warm", is_flag=True, help="Load the NLP pipeline on first use, not at start.")
def serve_cmd(db_url: str | None, host: str, port: int, token: str | None, no_warm: bool) -> None:
    """Serve the JSON API (/api, documented at /docs) and the dashboard (/)."""
    import uvicorn

    from sitrep.store import open_store
    from sitrep.web import WebSettings, create_app
    from sitrep.web.deps import warm_pipeline
    from sitrep.web.settings import is_loopback

    url = Config.from_env().with_(db_url=db_url).resolved_db_url
    token = token or os.environ.get("SITREP_TOKEN") or None
    if not is_loopback(host) and not token:
        raise SitrepError(Errors.E400, host=host)
    _check_port(host, port)
    open_store(url).close()  # create and migrate now: fail early with a clear error
    app = create_app(WebSettings.for_bind(url, host, port, token))
    if not no_warm:
        warm_pipeline()
        threading.Thread(target=_warm_dashboard, args=(url,), daemon=True).start()
    click.echo(f"sitrep serving {url} on http://{host}:{port}/ (API docs at /docs)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except OSError as exc:  # pragma: no cover - port in use and the like
        raise SitrepError(Errors.E406, host=host, port=port, detail=str(exc)) from None
