"""OCDS: the release schema as a local file set up once, and compiled records built with ``ocdsmerge``.

The schema is never downloaded while answering a request: ``prongsai ocds schema`` copies it once
(from the standard's URL or a local file) to ``PRONGSAI_OCDS_SCHEMA``. Until then compiling a record
is refused with a clear 503 that says which command to run. The schema is not copied into the project.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path
from typing import Any

from ocdsmerge import Merger

from domain.errors import InvalidInput, Unavailable

STANDARD_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def check_release_schema(data: bytes) -> dict[str, Any]:
    try:
        schema = json.loads(data)
    except ValueError:
        raise InvalidInput("ไฟล์ schema ไม่ใช่ JSON", "the OCDS schema is not JSON") from None
    if not isinstance(schema, dict) or "ocid" not in schema.get("properties", {}) or "definitions" not in schema:
        raise InvalidInput("ไม่ใช่ OCDS release schema", "this is not an OCDS release schema")
    return schema


def install_release_schema(source: str, target: Path) -> dict[str, Any]:
    """The one-time set-up step: fetch (URL) or copy (path) the release schema, check it, store it."""
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 - an operator's URL
                data = response.read()
        except OSError as exc:
            raise Unavailable(
                f"ดาวน์โหลด OCDS schema ไม่ได้: {exc}", f"could not download the OCDS schema from {source}: {exc}"
            ) from None
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"อ่านไฟล์ {source} ไม่ได้", f"cannot read {source}: {exc.strerror}") from None
    schema = check_release_schema(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return schema


class RecordCompiler:
    """Compiles a procurement's releases into one compiled release; reads the local schema on first use."""

    def __init__(self, schema_path: Path) -> None:
        self.schema_path = Path(schema_path)
        self._merger: Merger | None = None
        self._lock = threading.Lock()

    def merger(self) -> Merger:
        with self._lock:
            if self._merger is None:
                if not self.schema_path.is_file():
                    raise Unavailable(
                        "ยังไม่ได้ติดตั้ง OCDS schema — ผู้ดูแลระบบต้องสั่ง `prongsai ocds schema` หนึ่งครั้ง",
                        f"the OCDS release schema is not set up at {self.schema_path}: "
                        "an operator runs `prongsai ocds schema` once",
                    )
                schema = check_release_schema(self.schema_path.read_bytes())
                # Without its "id", internal "#/definitions/…" references resolve inside this document
                # instead of being fetched from the schema's published URL.
                self._merger = Merger(schema={k: v for k, v in schema.items() if k not in ("id", "$id")})
            return self._merger

    def __call__(self, releases: list[dict[str, Any]]) -> dict[str, Any]:
        return self.merger().create_compiled_release(releases)
