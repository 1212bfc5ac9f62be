"""Settings of one running web server."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    """True for localhost and addresses in 127.0.0.0/8 or ::1."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class WebSettings:
    """``db_url``: the store; ``token``: required for write endpoints when set.

    ``require_token`` is true when the server listens beyond loopback; then every write
    needs the token (``create_app`` refuses such settings without one).
    ``allowed_hosts``: Host header values accepted (DNS-rebinding guard); empty accepts any.
    """

    db_url: str
    token: str | None = None
    require_token: bool = False
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    api_max_limit: int = 1000

    @classmethod
    def for_bind(cls, db_url: str, host: str, port: int, token: str | None) -> WebSettings:
        """Settings for a server bound to ``host:port``."""
        local = is_loopback(host)
        hosts: tuple[str, ...] = ()
        if local:
            hosts = tuple(f"{h}:{port}" for h in ("localhost", "127.0.0.1", "[::1]")) + (
                "localhost", "127.0.0.1", "[::1]",
            )  # fmt: skip
        return cls(db_url=db_url, token=token or None, require_token=not local,
                   allowed_hosts=hosts)  # fmt: skip
