"""HTTP API and offline analyst dashboard (``sitrep serve``).

``create_app(settings)`` builds the FastAPI application; ``sitrep.cli.serve`` runs it with
uvicorn. Everything the browser loads is served from ``static/`` (no CDN, no map tiles).
"""

from sitrep.web.app import create_app
from sitrep.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
