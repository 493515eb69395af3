"""The auditor's view: the log searched, any record as of a date, the export, the chain's state.

Auditors' reads are recorded with the reason they give (application/oversight.py)."""

from __future__ import annotations

from datetime import datetime, time
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from domain.catalogue import SENIOR
from domain.clock import BANGKOK
from domain.errors import NotFound
from domain.people import Role
from interface.api.deps import store_work
from interface.web.pages import day_param, fields_of, page, signed_in, svc

router = APIRouter(include_in_schema=False)
READERS = SENIOR | {Role.AUDITOR}


@router.get("/audit", response_class=HTMLResponse)
@store_work
def audit(request: Request) -> HTMLResponse:
    user = signed_in(request, READERS)
    s = svc(request)
    q = request.query_params
    org = q.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")
    since, until = day_param(request, "since"), day_param(request, "until")
    events = s.oversight.search(
        org,
        q.get("aggregate_type") or None,
        q.get("aggregate_id") or None,
        q.get("actor") or None,
        datetime.combine(since, time.min, tzinfo=BANGKOK) if since else None,
        datetime.combine(until, time.max, tzinfo=BANGKOK) if until else None,
        limit=200,
    )
    if user.role is Role.AUDITOR:
        s.oversight.record_access(user, org, "web/audit", q.get("reason", ""))
    try:
        verification = s.oversight.verify()
    except NotFound:
        verification = None
    return page(request, "audit.html", user=user, org_code=org, events=events, q=q, verification=verification)


@router.get("/audit/aggregate/{aggregate_id}", response_class=HTMLResponse)
@store_work
def audit_aggregate(aggregate_id: UUID, request: Request) -> HTMLResponse:
    user = signed_in(request, READERS)
    s = svc(request)
    on = day_param(request, "as_of")
    at = datetime.combine(on, time.max, tzinfo=BANGKOK) if on else None
    state = s.history.as_of(user, aggregate_id, moment=at)
    return page(request, "record.html", user=user, title=f"{type(state).__name__} {aggregate_id}", record=state,
                fields=fields_of(state), history=s.history.events(user, aggregate_id),
                as_of=on.isoformat() if on else "")  # fmt: skip


@router.get("/audit/export")
@store_work
def audit_export(request: Request) -> Response:
    user = signed_in(request, READERS)
    s = svc(request)
    lines = list(s.oversight.export(user))
    for org in user.org_codes:
        s.oversight.record_access(user, org, "web/export", request.query_params.get("reason", ""))
    return StreamingResponse(
        iter(line + "\n" for line in lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="prongsai-log.jsonl"'},
    )
