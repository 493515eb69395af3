"""Deployment secrets kept as files (created once, owner-only)."""

from __future__ import annotations

import os
import secrets

from infrastructure.settings import Settings


def session_secret(settings: Settings) -> str:
    path = settings.session_secret_path
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value
