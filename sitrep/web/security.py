"""Security headers, Host/Origin checks and the write-token check.

Every response carries a strict Content-Security-Policy: scripts, styles, images and
fetches only from this server, no inline script or style, no framing. Article text is
untrusted; templates autoescape and the JavaScript only ever uses ``textContent``.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import JSONResponse, Response

from sitrep.errors import Errors, SitrepError
from sitrep.web.settings import WebSettings

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI (served from our own copy) sets inline styles; nothing else is relaxed.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds CSP and related headers; rejects unexpected Host headers (DNS rebinding)."""

    def __init__(self, app, settings: WebSettings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.allowed = {h.lower() for h in settings.allowed_hosts}

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = request.headers.get("host", "").lower()
        if self.allowed and host not in self.allowed:
            response: Response = JSONResponse(
                {"error": {"code": "E402", "message": Errors.E402.format(detail="unexpected Host header")}},
                status_code=400,
            )  # fmt: skip
        else:
            response = await call_next(request)
        path = request.url.path
        response.headers["Content-Security-Policy"] = DOCS_CSP if path == "/docs" else CSP
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def check_write(request: Request, settings: WebSettings) -> None:
    """Guard a write endpoint: same-origin JSON only, and the token when one is set."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
            raise SitrepError(Errors.E404, origin=origin)
    elif origin == "null":
        raise SitrepError(Errors.E404, origin=origin)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise SitrepError(Errors.E402, detail="send the body as application/json")
    if settings.token or settings.require_token:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if (
            not settings.token
            or scheme.lower() != "bearer"
            or not hmac.compare_digest(value.strip().encode(), settings.token.encode())
        ):
            raise SitrepError(Errors.E401)
