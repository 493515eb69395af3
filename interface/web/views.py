"""The web application, mounted on the API's: sign-in, the staff desk, the auditor view, the public portal.

Sessions live on the server (sessions.py); every desk form carries a CSRF token, every public form a
signed one; the same application services as the API do the work (through the same store runner), so
every rule, refusal and authority check is the same. Responses are compressed; pages carry a content
security policy and the usual protective headers; the typeface is served as subset WOFF2.
Each audience has its own module: session.py, desk.py, auditor.py, portal.py; forms come from the
command catalogues (forms.py).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.errors import DomainError, NotAuthenticated, NotFound
from infrastructure.settings import Settings
from infrastructure.web_fonts import FACES, woff2
from interface.web import auditor, desk, inbox, plan_review, portal, red_flags, session
from interface.web.pages import HERE, message, page
from interface.web.sessions import ServerSessions


def fonts(name: str) -> Response:
    if name not in FACES:
        raise NotFound("ไม่พบแบบอักษร", "no such font")
    return Response(woff2(name), media_type="font/woff2", headers={"Cache-Control": "public, max-age=2592000"})


def favicon() -> FileResponse:
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=604800"})  # fmt: skip


# Pages load only their own scripts, styles, fonts and images, may not be framed, and tell other sites
# nothing of where a visitor came from. The API's interactive docs page (/docs) starts its viewer with an
# inline script, so that one page goes without the policy; its assets are served locally.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
PROTECTIVE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class ProtectiveHeaders:
    """Adds the protective headers to every response (the CSP to all but the API docs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] == "/docs"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in PROTECTIVE.items():
                    headers.setdefault(name, value)
                if not docs:
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, session_secret: str, settings: Settings) -> None:
    """Mount the web pages on the API application (errors on pages render as pages)."""
    app.add_middleware(
        ServerSessions,
        store=lambda: app.state.services.sessions,
        now=lambda: app.state.services.clock.now(),
        max_age=settings.session_max_age_seconds,
        secure=settings.session_cookie_secure,
    )
    app.state.form_secret = session_secret
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ProtectiveHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_api_route("/fonts/{name}.woff2", fonts, include_in_schema=False)
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    routers = (session, portal, auditor, plan_review, red_flags, inbox, desk)  # the desk's generic routes last
    for module in routers:
        app.include_router(module.router)


def html_error(request: Request, exc: DomainError, status: int) -> Response:
    """Errors on web pages: sign-in redirects for GET, otherwise a page with the message in Thai/English."""
    if isinstance(exc, NotAuthenticated) and request.method == "GET":
        return RedirectResponse("/login", status_code=303)
    return page(request, "error.html", http_status=status, error=message(request, exc))
