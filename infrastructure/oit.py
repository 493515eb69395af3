"""The OIT item table (ITA open-data items by assessment year): bundled, or an operator's own file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from domain.errors import InvalidInput
from domain.ita import OitTable

BUNDLED = "oit-items.json"


def load_oit_table(path: Path | None = None) -> OitTable:
    """Read and check the table; a missing or malformed file is one clear refusal, never a 500."""
    try:
        if path is None:
            text = resources.files("infrastructure.bundled").joinpath(BUNDLED).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"อ่านตาราง OIT ไม่ได้: {path}", f"cannot read the OIT table {path}: {exc}") from None
    return OitTable(data)
