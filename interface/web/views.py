"""The web application, mounted on the API's: sign-in, the staff desk, the auditor view, the public portal.

Sessions are signed cookies; every form carries a CSRF token; the same application services as the API
do the work (through the same store runner), so every rule, refusal and authority check is the same.
Each audience has its own module: session.py, desk.py, auditor.py, portal.py; forms come from the
command catalogues (forms.py).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fontpkg_sarabun import ROOT as SARABUN

from domain.errors import DomainError, NotAuthenticated, NotFound
from infrastructure.settings import Settings
from interface.web import auditor, desk, portal, session
from interface.web.pages import HERE, message, page
from interface.web.sessions import ServerSessions


def fonts(name: str) -> FileResponse:
    path = SARABUN / "files" / f"{name}.ttf"
    if name not in ("Sarabun-Regular", "Sarabun-Bold") or not path.exists():
        raise NotFound("ไม่พบแบบอักษร", "no such font")
    return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})


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
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_api_route("/fonts/{name}.ttf", fonts, include_in_schema=False)
    for module in (session, portal, auditor, desk):  # the desk's generic record routes last
        app.include_router(module.router)


def html_error(request: Request, exc: DomainError, status: int) -> Response:
    """Errors on web pages: sign-in redirects for GET, otherwise a page with the message in Thai/English."""
    if isinstance(exc, NotAuthenticated) and request.method == "GET":
        return RedirectResponse("/login", status_code=303)
    return page(request, "error.html", http_status=status, error=message(request, exc))
