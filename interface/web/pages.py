"""What every web page shares: templates and their filters, the session's user, CSRF, messages, and
blocking store work runs through the same store runner as the API (``store_work``), never on the loop."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, TimestampSigner
from jinja2 import pass_context
from markupsafe import Markup

from domain.errors import DomainError, InvalidInput, NotAuthenticated, NotFound, NotPermitted
from domain.people import Role, User
from domain.thai import baht
from infrastructure.bootstrap import Services
from interface.web.i18n import install as install_i18n
from interface.web.present import basis_text, day_text, moment_text, show

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


@pass_context
def _human(context: Any, value: Any, key: str = "") -> Markup:
    """``{{ value|human('key') }}``: any value in the page's language, in human terms (present.py)."""
    return show(value, key, context.get("lang", "th"))


@pass_context
def _be_date(context: Any, value: Any) -> str:
    return day_text(value, context.get("lang", "th")) if isinstance(value, date) else "—"


@pass_context
def _be_time(context: Any, value: Any) -> str:
    return moment_text(value, context.get("lang", "th")) if isinstance(value, datetime) else "—"


@pass_context
def _basis(context: Any, value: Any) -> str:
    return basis_text(value, context.get("lang", "th")) if isinstance(value, dict) else "—"


install_i18n(templates.env)
templates.env.filters.update(human=_human, be_date=_be_date, be_time=_be_time, basis=_basis, baht=lambda s: baht(s))


def svc(request: Request) -> Services:
    return request.app.state.services


def lang(request: Request) -> str:
    return request.cookies.get("lang", "th")


def user_of(request: Request) -> User | None:
    user_id = request.session.get("user_id")
    if not user_id:
        return None
    try:
        user = svc(request).app.load(User, UUID(user_id))
    except (NotFound, ValueError):
        return None
    return user if user.active else None


def csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


PUBLIC_FORM_AGE = 24 * 3600  # a public form may be filled in at leisure, but not replayed for ever


def form_token(request: Request) -> str:
    """A signed, dated token for the forms anyone may post (sign-in, complaint, tracking): they work without a
    session, so a citizen whose cookie was cleared or expired loses nothing."""
    return TimestampSigner(request.app.state.form_secret, salt="public-form").sign(b"form").decode()


def check_form_token(request: Request, form: Any) -> None:
    """A public form's token is ours and under a day old (else 401, with nothing lost)."""
    try:
        signer = TimestampSigner(request.app.state.form_secret, salt="public-form")
        signer.unsign(str(form.get("form_token", "")), max_age=PUBLIC_FORM_AGE)
    except BadSignature:
        raise NotAuthenticated(
            "แบบฟอร์มหมดอายุ กรุณากดส่งอีกครั้ง (ข้อความที่กรอกยังอยู่)",
            "the form expired; press send again (what you typed is kept)",
        ) from None


async def posted_public(request: Request) -> dict[str, Any]:
    """A public form, once its token checks out."""
    form = await request.form()
    check_form_token(request, form)
    return {k: v for k, v in form.multi_items()}


async def posted(request: Request) -> dict[str, Any]:
    """The posted form, once its CSRF token matches the session's."""
    form = await request.form()
    if not secrets.compare_digest(str(form.get("csrf", "")), request.session.get("csrf", "-")):
        raise NotAuthenticated(
            "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง", "the form expired (CSRF check failed); reload and try again"
        )
    return {k: v for k, v in form.multi_items()}


def flash(request: Request, message_: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append({"message": message_, "kind": kind})


async def posted_file(request: Request, default_name: str = "") -> tuple[dict[str, Any], str, bytes]:
    """A posted form with a file (once its CSRF token matches): the form, the file's name and its bytes."""
    form = await posted(request)
    file = form.get("file")
    data = await file.read() if hasattr(file, "read") else b""
    return form, getattr(file, "filename", "") or default_name, data


def page(request: Request, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    user = context.pop("user", None) or user_of(request)
    language = lang(request)
    context.update(
        request=request,
        user=user,
        lang=language,
        csrf=csrf(request) if user else "",  # anonymous pages start no session: public forms carry form_token
        form_token=form_token(request),
        flashes=request.session.pop("flash", []),
        org=(user.org_codes[0] if user and user.org_codes else None),
        Role=Role,
    )
    return templates.TemplateResponse(request, name, context, status_code=http_status)


def message(request: Request, exc: DomainError) -> str:
    return exc.en if lang(request) == "en" else exc.th


def signed_in(request: Request, roles: frozenset[Role] | set[Role] | None = None) -> User:
    user = user_of(request)
    if user is None:
        raise NotAuthenticated("ต้องเข้าสู่ระบบ", "sign-in required")
    if roles is not None and user.role not in roles:
        raise NotPermitted("บทบาทของท่านไม่มีสิทธิ์ใช้หน้านี้", "your role may not use this page")
    return user


def day_param(request: Request, name: str) -> date | None:
    """A date from the query string, or a clear refusal (never a 500)."""
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
        if not 1900 <= day.year <= 2200:
            raise ValueError(value)
        return day
    except ValueError:
        raise InvalidInput(
            f"วันที่ '{name}' ไม่ถูกต้อง (ใช้ YYYY-MM-DD)", f"'{name}' is not a date (use YYYY-MM-DD)"
        ) from None


def year_param(request: Request, default: int) -> int:
    value = request.query_params.get("year")
    if not value:
        return default
    if not value.isdigit() or not 2400 <= int(value) <= 2700:
        raise InvalidInput(f"ปีงบประมาณ '{value}' ไม่ถูกต้อง (เช่น 2567)", f"fiscal year '{value}' is not a BE year")
    return int(value)
