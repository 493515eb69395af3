"""The auditor's view: the log searched, any record as of a date, the export, the chain's state.

Auditors' reads are recorded with the reason they give (application/oversight.py)."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from domain.catalogue import SENIOR
from domain.clock import BANGKOK
from domain.errors import InvalidInput, NotFound
from domain.people import Role
from infrastructure.bootstrap import Services
from interface.api.deps import store_work
from interface.web.pages import day_param, lang, page, signed_in, svc
from interface.web.present import day_text, event_label, moment_text, rows, timeline

router = APIRouter(include_in_schema=False)
READERS = SENIOR | {Role.AUDITOR}


PAGE = 50


def position_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise InvalidInput(f"ตำแหน่ง '{name}' ไม่ถูกต้อง", f"'{name}' must be a log position (a whole number)")
    return int(value)


def actor_names(s: Services, usernames: set[str], language: str) -> dict[str, str]:
    names = {}
    for username in usernames:
        if username in ("", "system", None):
            names[username] = "ระบบ" if language == "th" else "System"
            continue
        try:
            user = s.users.get(username)
            names[username] = f"{user.display_name} ({user.position})"
        except NotFound:
            names[username] = username
    return names


@router.get("/audit", response_class=HTMLResponse)
@store_work
def audit(request: Request) -> HTMLResponse:
    """The log of one organisation, newest first, 50 to a page, with how many events the search finds."""
    user = signed_in(request, READERS)
    s = svc(request)
    q = request.query_params
    language = lang(request)
    org = q.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")
    since, until = day_param(request, "since"), day_param(request, "until")
    before = position_param(request, "before")
    filters = (
        org,
        q.get("aggregate_type") or None,
        q.get("aggregate_id") or None,
        q.get("actor") or None,
        datetime.combine(since, time.min, tzinfo=BANGKOK) if since else None,
        datetime.combine(until, time.max, tzinfo=BANGKOK) if until else None,
    )
    found = s.oversight.search(*filters, limit=PAGE + 1, before=before, newest_first=True)
    total = s.oversight.count(*filters)
    more = len(found) > PAGE
    found = found[:PAGE]
    names = actor_names(s, {e["actor"] or "" for e in found}, language)
    events = [
        {
            "position": e["position"],
            "aggregate_id": e["aggregate_id"],
            "kind": kind_label(e["aggregate_type"], language),
            "what": event_label(f"{e['aggregate_type']}.{e['event_type']}", {}, language),
            "version": e["version"],
            "who": names.get(e["actor"] or "", e["actor"]),
            "when": moment_text(datetime.fromisoformat(e["at"]), language),
        }
        for e in found
    ]
    behind = s.oversight.index_behind()
    if user.role is Role.AUDITOR:
        s.oversight.record_access(user, org, "web/audit", q.get("reason", ""))
    # The worker verifies after every checkpoint; the page shows that outcome. Verifying again is asked
    # for explicitly (on a national log it reads every event).
    checkpointed = s.oversight.log.get_last() is not None
    verification = s.oversight.verify_and_keep() if checkpointed and q.get("verify") == "now" else None
    verification = verification or (s.oversight.latest_verification() if checkpointed else None)
    verified_at = moment_text(datetime.fromisoformat(verification["verified_at"]), language) if verification else ""
    keep = {k: v for k, v in q.items() if k not in ("before", "verify")}
    older = urlencode({**keep, "before": found[-1]["position"]}) if more else ""
    return page(request, "audit.html", user=user, org_code=org, events=events, q=q, verification=verification,
                total=total, older=older, newest=urlencode(keep) if before else "", kinds=KINDS,
                organisation=s.organisations.get(org), checkpointed=checkpointed, verified_at=verified_at,
                verify_now=urlencode({**keep, "verify": "now"}), behind=behind)  # fmt: skip


@router.get("/audit/aggregate/{aggregate_id}", response_class=HTMLResponse)
@store_work
def audit_aggregate(aggregate_id: UUID, request: Request) -> HTMLResponse:
    user = signed_in(request, READERS)
    s = svc(request)
    on = day_param(request, "as_of")
    at = datetime.combine(on, time.max, tzinfo=BANGKOK) if on else None
    state = s.history.as_of(user, aggregate_id, moment=at)
    language = lang(request)
    history = [h for h in s.history.events(user, aggregate_id) if h["version"] <= state.version]
    return page(request, "record.html", user=user, title=record_title(state, language), record=state,
                fields=rows(state, language), history=timeline(history, language),
                as_of=on.isoformat() if on else "", as_of_label=day_text(on, language) if on else "",
                back={"href": "/audit", "label": "ตรวจสอบ" if language == "th" else "Audit"})  # fmt: skip


KINDS = {
    "Measure": ("โครงการ/กิจกรรม", "Measure"),
    "Delegation": ("คำสั่งมอบอำนาจ", "Delegation order"),
    "ActingAppointment": ("คำสั่งให้รักษาราชการแทน", "Acting order"),
    "Procurement": ("โครงการจัดซื้อจัดจ้าง", "Procurement"),
    "Complaint": ("เรื่องร้องเรียน", "Complaint"),
    "Reminders": ("การแจ้งเตือนกำหนดเวลา", "Deadline notices"),
    "SupplierRegister": ("ข้อมูลผู้ประกอบการและบัญชีผู้ทิ้งงาน", "Supplier facts and debarment list"),
    "Plan": ("แผนปฏิบัติการ", "Plan"),
    "Organisation": ("หน่วยงาน", "Organisation"),
    "User": ("ผู้ใช้", "User"),
    "ReportRecord": ("รายงาน", "Report"),
    "ReportSchedule": ("ตารางรายงาน", "Report schedule"),
}


def kind_label(kind: str, language: str) -> str:
    th, en = KINDS.get(kind, (kind, kind))
    return en if language == "en" else th


def record_title(state: object, language: str) -> str:
    """What a person calls the record: its kind and its own number or name, never its UUID."""
    name = next(
        (str(getattr(state, a)) for a in ("case_no", "order_no", "project_no", "code", "name", "username")
         if getattr(state, a, None)), "",
    )  # fmt: skip
    extra = getattr(state, "subject", None) or (getattr(state, "details", None) or {}).get("name") or ""
    return " ".join(part for part in (kind_label(type(state).__name__, language), name, extra) if part)


@router.get("/audit/export")
@store_work
def audit_export(request: Request) -> Response:
    user = signed_in(request, READERS)
    s = svc(request)
    lines = list(s.oversight.export(user, s.oversight.checkpoint_for_export()))
    for org in user.org_codes:
        s.oversight.record_access(user, org, "web/export", request.query_params.get("reason", ""))
    return StreamingResponse(
        iter(line + "\n" for line in lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="prongsai-log.jsonl"'},
    )
