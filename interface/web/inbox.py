"""The desk's inbox: the reminders, overdue notices and escalations sent to the person signed in
(application/reminders.py), each linked to its record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.catalogue import SENIOR
from domain.errors import DomainError
from interface.api.deps import store_work
from interface.web.pages import flash, lang, message, page, posted, signed_in, svc
from interface.web.present import day_text, moment_text

router = APIRouter(include_in_schema=False)
RECORDS = {"complaint-answer": "complaints", "appeal-window": "complaints", "measure-approval": "measures",
           "delegation-report": "delegations", "notice-publication": "procurements"}  # fmt: skip


def href(n: dict[str, Any]) -> str:
    return f"/{RECORDS[n['kind']]}/{n['record_id']}" if n["kind"] in RECORDS else "/plan"


def shown(notices: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    def day(text: str) -> str:
        return day_text(date.fromisoformat(text), language)

    return [{**n, "href": href(n), "due": day(n["due_on"]), "sent": day(n["sent_on"]),
             "late": n["stage"] in ("overdue", "escalated")} for n in notices]  # fmt: skip


def inbox_of(request: Request, limit: int) -> list[dict[str, Any]]:
    user = signed_in(request)
    language = lang(request)
    return shown(svc(request).reminders.inbox(user, language, limit), language)


@router.get("/inbox", response_class=HTMLResponse)
@store_work
def inbox(request: Request) -> HTMLResponse:
    """My notices; for the executives, also the e-mail that could not be sent (with why and when next)."""
    user, language = signed_in(request), lang(request)
    problems = []
    if user.role in SENIOR:
        for row in svc(request).mail.problems():
            retry = datetime.fromisoformat(row["next_attempt_at"])
            problems.append({**row, "retry": moment_text(retry, language) if row["state"] == "pending" else ""})
    contact = svc(request).mail.store.contact(user.username) or {"email": "", "digest": "daily", "lang": language}
    return page(
        request,
        "inbox.html",
        user=user,
        notices=inbox_of(request, 500),
        problems=problems,
        contact=contact,
        error=request.session.pop("contact_error", ""),
    )


@router.post("/inbox/contact", response_class=HTMLResponse)
async def set_contact(request: Request) -> Response:
    """My own e-mail address and how often I want my notices by e-mail (each, daily, weekly)."""
    form = await posted(request)
    return await svc(request).runner.run(record_contact, request, form)


def record_contact(request: Request, form: dict[str, Any]) -> Response:
    user = signed_in(request)
    try:
        svc(request).mail.set_contact(user.username, str(form.get("email", "")), str(form.get("digest", "")),
                                      str(form.get("lang", "th")))  # fmt: skip
    except DomainError as exc:
        request.session["contact_error"] = message(request, exc)
        return RedirectResponse("/inbox#contact", status_code=303)
    flash(request, "บันทึกการรับแจ้งทางอีเมลแล้ว" if lang(request) == "th" else "E-mail notices saved")
    return RedirectResponse("/inbox", status_code=303)
