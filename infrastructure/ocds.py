"""OCDS: the release schema read from a configured path or URL (downloaded once, cached) and
compiled records built with ``ocdsmerge``. The schema files are never copied into the project."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path
from typing import Any

from ocdsmerge import Merger

DEFAULT_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def release_schema(source: str, cache_dir: Path) -> dict[str, Any]:
    if source.startswith(("http://", "https://")):
        cached = cache_dir / "ocds-release-schema.json"
        if not cached.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - configured https URL
                cached.write_bytes(response.read())
        return json.loads(cached.read_text(encoding="utf-8"))
    return json.loads(Path(source).read_text(encoding="utf-8"))


class RecordCompiler:
    """Compiles a procurement's releases into one compiled release; loads the schema on first use."""

    def __init__(self, source: str, cache_dir: Path) -> None:
        self.source = source
        self.cache_dir = cache_dir
        self._merger: Merger | None = None
        self._lock = threading.Lock()

    def __call__(self, releases: list[dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            if self._merger is None:
                schema = release_schema(self.source, self.cache_dir)
                # Without its "id", internal "#/definitions/…" references resolve inside this document
                # instead of being fetched from the schema's published URL.
                schema = {k: v for k, v in schema.items() if k not in ("id", "$id")}
                self._merger = Merger(schema=schema)
        return self._merger.create_compiled_release(releases)
