"""The FastAPI application: API, dashboard pages, static assets and offline API docs."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from sitrep import __version__
from sitrep.errors import Errors, InputError, SitrepError, StoreError
from sitrep.web import api, pages
from sitrep.web.security import SecurityHeaders
from sitrep.web.settings import WebSettings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATUS = {"E401": 401, "E403": 404, "E404": 403, "E405": 502}


def _swagger_static() -> Path | None:
    """Swagger UI assets from the fastapi-offline wheel (no CDN)."""
    try:
        import fastapi_offline
    except ImportError:  # pragma: no cover - pinned dependency
        return None
    path = Path(fastapi_offline.__file__).parent / "static"
    return path if path.is_dir() else None


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(settings: WebSettings) -> FastAPI:
    """Build the app for ``settings``; refuses (E400) a non-local server without a token."""
    if settings.require_token and not settings.token:
        raise SitrepError(Errors.E400, host="a non-loopback address")
    app = FastAPI(
        title="sitrep API",
        version=__version__,
        description="Structured facts from news articles: events, actors, places, quotes. "
        "Every list is paginated with `limit`/`offset`; `next_offset` is null on the last page.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(SecurityHeaders, settings=settings)

    @app.exception_handler(SitrepError)
    async def sitrep_error(_: Request, err: SitrepError) -> Response:
        if isinstance(err, StoreError):
            log.error("store error: %s", err.message)
            return _error(err.code, err.message, 500)
        status = 422 if isinstance(err, InputError) else STATUS.get(err.code, 400)
        return _error(err.code, err.message, status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, err: RequestValidationError) -> Response:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body"))
        detail = f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
        return _error("E402", Errors.E402.format(detail=detail), 400)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, err: Exception) -> Response:
        log.exception("unexpected error: %s", err)
        return _error("E000", "internal error (details are in the server log)", 500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> Response:
        return _error("E402" if err.status_code < 500 else "E000", str(err.detail), err.status_code)

    app.include_router(api.router)
    app.include_router(pages.router)
    swagger = _swagger_static()
    if swagger is not None:  # before /static, which would otherwise shadow it
        app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
