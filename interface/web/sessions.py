"""The web session as ASGI middleware: a random id in an HttpOnly cookie, the data on the server.

``request.session`` works as with Starlette's cookie sessions, but nothing but the id leaves the server,
a session is ended for good when it is cleared (signing out), and it lasts ``max_age`` seconds from the
last change. The store is any object with ``get``/``put``/``delete`` (infrastructure/web_sessions.py).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any, Protocol

import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROTATE = "_new_id"  # set in a session to have it saved under a fresh id (after signing in)


class SessionStore(Protocol):
    def get(self, session_id: str, now: datetime) -> dict[str, Any] | None: ...
    def put(self, session_id: str, data: dict[str, Any], expires_at: datetime) -> None: ...
    def delete(self, session_id: str) -> None: ...


class ServerSessions:
    def __init__(
        self,
        app: ASGIApp,
        store: Callable[[], SessionStore],
        now: Callable[[], datetime],
        cookie: str = "prongsai_session",
        max_age: int = 8 * 3600,
        secure: bool = False,
    ) -> None:
        self.app = app
        self.store = store
        self.now = now
        self.cookie = cookie
        self.max_age = max_age
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(("/api/", "/static/", "/fonts/")):
            await self.app(scope, receive, send)  # the API signs in with bearer tokens; assets need no session
            return
        cookies = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookies.load(value.decode("latin-1"))
        session_id = cookies[self.cookie].value if self.cookie in cookies else ""
        data: dict[str, Any] = {}
        if session_id:
            found = await anyio.to_thread.run_sync(self.store().get, session_id, self.now())
            if found is None:
                session_id = ""  # unknown, ended or expired: start afresh
            else:
                data = found
        scope["session"] = data
        before = json.dumps(data, sort_keys=True, ensure_ascii=False)

        async def send_with_cookie(message: Message) -> None:
            nonlocal session_id
            if message["type"] == "http.response.start":
                rotate = scope["session"].pop(ROTATE, False)
                after = json.dumps(scope["session"], sort_keys=True, ensure_ascii=False)
                headers = MutableHeaders(scope=message)
                if rotate and session_id:  # signing in: a new id, so an id known before is worth nothing
                    await anyio.to_thread.run_sync(self.store().delete, session_id)
                    session_id = ""
                if after != before or rotate:
                    if scope["session"]:
                        session_id = session_id or secrets.token_urlsafe(32)
                        expires = self.now() + timedelta(seconds=self.max_age)
                        await anyio.to_thread.run_sync(self.store().put, session_id, scope["session"], expires)
                        headers.append("Set-Cookie", self.set_cookie(session_id, self.max_age))
                    elif session_id:
                        await anyio.to_thread.run_sync(self.store().delete, session_id)
                        headers.append("Set-Cookie", self.set_cookie("", 0))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def set_cookie(self, value: str, max_age: int) -> str:
        flags = f"{self.cookie}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
        return flags + ("; Secure" if self.secure else "")
