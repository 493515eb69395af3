"""Cardinal's ``coverage`` command (``ocdscardinal``) over releases held in memory: it reads a file of
JSON lines, so the releases go to a temporary file first."""

from __future__ import annotations

import tempfile
from typing import Any

import orjson


def field_coverage(releases: list[dict[str, Any]]) -> dict[str, int]:
    import ocdscardinal  # a compiled extension: loaded when asked, not at start-up

    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as lines:
        for release in releases:
            lines.write(orjson.dumps(release) + b"\n")
        lines.flush()
        return {str(path): int(n) for path, n in ocdscardinal.coverage(lines.name).items()}
