"""Careful HTTP GET for articles and feeds.

- only ``http``/``https``; a proper User-Agent; connect/read timeouts and an overall
  deadline; a size limit enforced while streaming (and from Content-Length);
- redirects followed by hand, at most ``max_redirects``, loops detected;
- every host (the first and each redirect target) is resolved once and the connection
  goes to that checked address, so private, loopback, link-local, multicast and
  reserved addresses are refused unless ``allow_private`` (no DNS-rebinding window).

Errors are ``InputError`` with one line naming the URL.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from sitrep.errors import Errors, InputError

log = logging.getLogger(__name__)

USER_AGENT = "sitrep/{version} (news-analysis bot; +https://pypi.org/project/sitrep/)"
TIMEOUT_S = 15.0
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class FetchOptions:
    allow_private: bool = False
    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT

    def agent(self) -> str:
        from sitrep import __version__

        return self.user_agent.replace("{version}", __version__)


@dataclass(slots=True)
class Response:
    url: str  # after redirects
    status: int
    content_type: str  # lower-case media type, without parameters
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        for enc in filter(None, [self.charset, "utf-8"]):
            try:
                return self.body.decode(enc)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.body.decode("utf-8", errors="replace")


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified)  # fmt: skip


def resolve(url: str, host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for ``host``; refuses non-public ones unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(Errors.E310, input=url, detail=f"cannot resolve {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise InputError(Errors.E310, input=url, detail=f"cannot resolve {host}")
    for addr in addresses:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if _blocked(ip) and not allow_private:
            raise InputError(Errors.E311, input=url, address=addr)
    return addresses[0]


def _pool(
    scheme: str, host: str, address: str, port: int, opts: FetchOptions
) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=opts.timeout, read=opts.timeout)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
            ca_certs=_ca_bundle(),
        )  # fmt: skip
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)


def _ca_bundle() -> str | None:
    try:
        import certifi

        return certifi.where()
    except ImportError:  # pragma: no cover
        return None


def fetch(url: str, opts: FetchOptions | None = None, *, accept: str = "*/*",
          etag: str | None = None, last_modified: str | None = None) -> Response:  # fmt: skip
    """GET ``url`` under the rules in the module docstring. With ``etag``/``last_modified``
    (from an earlier response) it is a conditional GET: 304 comes back as ``not_modified``."""
    opts = opts or FetchOptions()
    deadline = time.monotonic() + opts.timeout * 3
    seen: set[str] = set()
    current = url
    for _hop in range(opts.max_redirects + 1):
        parts = urlsplit(current)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise InputError(Errors.E315, input=url, target=current)
        if current in seen:
            raise InputError(Errors.E312, input=url, detail=f"redirect loop at {current}")
        seen.add(current)
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        address = resolve(url, host, port, opts.allow_private)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        host_header = host if parts.port is None else f"{host}:{parts.port}"
        headers = {"Host": host_header, "User-Agent": opts.agent(), "Accept": accept,
                   "Accept-Encoding": "gzip, deflate"}  # fmt: skip
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        pool = _pool(scheme, host, address, port, opts)
        try:
            resp = pool.urlopen("GET", path, headers=headers, redirect=False,
                                preload_content=False, assert_same_host=False)  # fmt: skip
        except urllib3.exceptions.HTTPError as exc:
            raise InputError(Errors.E310, input=url, detail=_reason(exc)) from None
        try:
            if resp.status in _REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise InputError(
                        Errors.E310, input=url, detail=f"HTTP {resp.status} without Location"
                    )
                current = urljoin(current, location)
                log.debug("redirect %s -> %s", url, current)
                continue
            validators = (resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
            if resp.status == 304:
                return Response(current, 304, "", None, b"", etag or validators[0],
                                last_modified or validators[1])  # fmt: skip
            body = _read_limited(resp, url, opts, deadline)
            if resp.status >= 400:
                raise InputError(Errors.E314, input=url, status=resp.status)
            ctype = resp.headers.get("Content-Type", "")
            media = ctype.split(";", 1)[0].strip().lower()
            charset = None
            for param in ctype.split(";")[1:]:
                key, _, value = param.partition("=")
                if key.strip().lower() == "charset":
                    charset = value.strip().strip('"') or None
            return Response(current, resp.status, media, charset, body, *validators)
        finally:
            resp.release_conn()
            pool.close()
    raise InputError(Errors.E312, input=url, detail=f"more than {opts.max_redirects} redirects")


def _read_limited(resp: urllib3.BaseHTTPResponse, url: str, opts: FetchOptions,
                  deadline: float) -> bytes:  # fmt: skip
    limit_mb = opts.max_bytes / 1e6
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > opts.max_bytes:
        raise InputError(Errors.E313, input=url, limit_mb=limit_mb)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.stream(16 * 1024, decode_content=True):  # small: bounds gzip bombs
            size += len(chunk)
            if size > opts.max_bytes:
                raise InputError(Errors.E313, input=url, limit_mb=limit_mb)
            if time.monotonic() > deadline:
                raise InputError(Errors.E310, input=url, detail="timed out while reading")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise InputError(Errors.E310, input=url, detail=_reason(exc)) from None
    return b"".join(chunks)


def _reason(exc: Exception) -> str:
    inner = getattr(exc, "reason", None) or exc
    text = str(inner).strip() or type(inner).__name__
    if "timed out" in text.lower():
        return "timed out"
    if "refused" in text.lower():
        return "connection refused"
    return text.splitlines()[0][:200]
