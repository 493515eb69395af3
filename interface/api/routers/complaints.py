"""Complaints: the public form and tracking, staff handling, the disciplinary track, identities."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from domain.complaint import STATE_THAI, Complaint
from domain.complaint_commands import COMPLAINTS
from domain.errors import InvalidInput
from infrastructure.report_formats import statistics_csv
from interface.api.commands import add_command_routes
from interface.api.deps import CurrentUser, ServicesDep, check_lookup_rate, check_org_visible, store_work
from interface.api.records import CSV, READ_PROBLEMS, ComplaintOut, files
from interface.api.responses import FastJSON
from interface.api.schemas import Command

router = APIRouter(prefix="/api/v1", tags=["complaints"])


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=300)
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=50)
    email: str = Field(default="", max_length=200)
    id_card: str = Field(default="", max_length=20)


class Accused(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(default="", max_length=300)
    position: str = Field(default="", max_length=300)
    unit: str = Field(default="", max_length=300)


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=200)
    media_type: str = Field(default="application/octet-stream", max_length=100)
    content_base64: str = Field(max_length=7_000_000)


class ComplaintForm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Literal["web", "phone", "walk_in", "letter", "referral"] = "web"
    category: Literal["general", "misconduct"] = "general"
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=10_000)
    location: str = Field(default="", max_length=1000)
    complainant: Person | None = None
    accused: Accused | None = None
    accused_role: Literal["staff", "executive", "council"] | None = None
    attachments: list[Attachment] = Field(default=[], max_length=5)
    updates_by_email: bool = Field(default=False, description="tell the complainant of each step at their e-mail")


class Objection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=4000)


class DiscloseCommand(Command):
    username: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)


class ReasonCommand(Command):
    reason: str = Field(min_length=1, max_length=2000)


def staff_view(c: Complaint) -> dict[str, Any]:
    """Everything a handler works with — personal data stays sealed (see /identity)."""
    return {
        "id": str(c.id),
        "version": c.version,
        "org_code": c.org_code,
        "case_no": c.case_no,
        "channel": c.channel.value,
        "category": c.category.value,
        "anonymous": c.anonymous,
        "subject": c.subject,
        "description": c.description,
        "location": c.location,
        "attachments": c.attachments,
        "personal_fields": c.personal_fields,
        "personal_data_erased": c.erased,
        "accused_role": c.accused_role,
        "state": c.state.value,
        "state_th": STATE_THAI[c.state],
        "received_on": c.received_on,
        "due_on": c.due_on,
        "answered_on": c.answered_on,
        "delay_explained": c.delay_explained,
        "unit": c.unit,
        "officer": c.officer,
        "notices": c.notices,
        "answer": c.answer,
        "referral": c.referral,
        "discipline": c.discipline,
    }


add_command_routes(
    router,
    COMPLAINTS,
    prefix="/complaints/{complaint_id}",
    service=lambda s: s.complaints,
    present=lambda c, _: staff_view(c),
    model=ComplaintOut,
)


def decode_files(form: ComplaintForm) -> list[dict[str, Any]]:
    files = []
    for a in form.attachments:
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(f"ไฟล์ '{a.filename}' ไม่ใช่ base64", f"attachment '{a.filename}' is not base64") from None
        files.append({"filename": a.filename, "media_type": a.media_type, "content": content})
    return files


# -- public -----------------------------------------------------------------------------------


@router.post("/public/organisations/{org_code}/complaints", status_code=201)
@store_work
def submit(org_code: str, form: ComplaintForm, svc: ServicesDep) -> FastJSON:
    """Anyone may complain, anonymously if they wish. The tracking code is shown only in this answer."""
    complaint, code = svc.complaints.submit(
        org_code,
        form.channel,
        form.category,
        form.subject,
        form.description,
        form.location,
        form.complainant.model_dump() if form.complainant else None,
        form.accused.model_dump() if form.accused else None,
        form.accused_role,
        decode_files(form),
        updates_by_email=form.updates_by_email,
    )
    return FastJSON(
        {
            "case_no": complaint.case_no,
            "tracking_code": code,
            "received_on": complaint.received_on,
            "due_on": complaint.due_on,
            "message_th": "เก็บรหัสติดตามไว้ ระบบจะไม่แสดงซ้ำ",
            "message_en": "Keep the tracking code: it is not shown again.",
        },
        status_code=201,
    )


@router.get("/public/complaints/track")
@store_work
def track(request: Request, svc: ServicesDep, x_tracking_code: Annotated[str, Header(max_length=100)] = "") -> FastJSON:
    """Status and public notices of one case, by the code in the ``X-Tracking-Code`` header."""
    check_lookup_rate(request, svc)
    return FastJSON(svc.complaints.track(x_tracking_code))


@router.post("/public/complaints/track/objection")
@store_work
def object_to_answer(
    request: Request, body: Objection, svc: ServicesDep, x_tracking_code: Annotated[str, Header(max_length=100)] = ""
) -> FastJSON:
    """The complainant objects to the answer: the case reopens."""
    check_lookup_rate(request, svc)
    return FastJSON(svc.complaints.object(x_tracking_code, body.reason))


@router.get("/public/organisations/{org_code}/complaints/statistics")
@store_work
def public_statistics(org_code: str, svc: ServicesDep, start: date, end: date) -> FastJSON:
    svc.organisations.get(org_code)
    return FastJSON(svc.complaints.statistics(org_code, start, end))


# -- staff ------------------------------------------------------------------------------------


@router.get("/organisations/{org_code}/complaints")
@store_work
def list_complaints(org_code: str, svc: ServicesDep, user: CurrentUser, overdue: bool = False) -> FastJSON:
    check_org_visible(user, org_code)
    cases = svc.complaints.overdue(org_code) if overdue else svc.complaints.list(org_code)
    return FastJSON([staff_view(c) for c in cases])


@router.get("/organisations/{org_code}/complaints/statistics", responses=files(CSV, what="the statistics"))
@store_work
def staff_statistics(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    start: date,
    end: date,
    format: str = "json",  # noqa: A002
) -> Response:
    check_org_visible(user, org_code)
    stats = svc.complaints.statistics(org_code, start, end)
    if format == "csv":
        return Response(statistics_csv(stats), media_type="text/csv; charset=utf-8")
    if format != "json":
        raise InvalidInput("รูปแบบต้องเป็น json หรือ csv", "format must be json or csv")
    return FastJSON(stats)


@router.get("/complaints/{complaint_id}", response_model=ComplaintOut, responses=READ_PROBLEMS)
@store_work
def get_complaint(complaint_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(staff_view(svc.complaints.get(user, complaint_id)))


@router.post("/complaints/{complaint_id}/identity")
@store_work
def identity(complaint_id: UUID, body: ReasonCommand, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Decrypt the complainant's and accused's identities — for roles that need them; recorded."""
    return FastJSON(svc.complaints.identity(user, complaint_id, body.reason))


@router.get(
    "/complaints/{complaint_id}/attachments/{sha256}",
    responses=files("application/octet-stream", what="the attachment, always as a download"),
)
@store_work
def attachment(complaint_id: UUID, sha256: str, svc: ServicesDep, user: CurrentUser, reason: str = "") -> Response:
    listed, content = svc.complaints.attachment(user, complaint_id, sha256, reason)
    # Always a download, never rendered inline with the uploader's media type.
    filename = quote(str(listed.get("filename") or sha256))
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
            "X-Content-Type-Options": "nosniff",
        },
    )
