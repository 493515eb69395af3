"""Signing in and out, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.errors import NotAuthenticated
from interface.api.deps import store_work
from interface.web.pages import csrf, message, page, posted, posted_public, svc
from interface.web.sessions import ROTATE

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
@store_work
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await posted_public(request)
    return await svc(request).runner.run(sign_in, request, form)


def sign_in(request: Request, form: dict[str, object]) -> Response:
    try:
        address = request.client.host if request.client else "unknown"
        user = svc(request).users.sign_in(str(form.get("username", "")).strip(), str(form.get("password", "")), address)
    except NotAuthenticated as exc:
        return page(
            request, "login.html", http_status=401, error=message(request, exc), username=form.get("username", "")
        )
    request.session.clear()
    request.session["user_id"] = str(user.id)
    request.session[ROTATE] = True
    csrf(request)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await posted(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    response = RedirectResponse(same_site_path(request.headers.get("referer") or "/"), status_code=303)
    response.set_cookie("lang", "en" if code == "en" else "th", max_age=365 * 86400, samesite="lax")
    return response


def same_site_path(referer: str) -> str:
    """Back to the page the switch was pressed on — its path only, never another site."""
    parts = urlsplit(referer)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return path + (f"?{parts.query}" if parts.query else "")
