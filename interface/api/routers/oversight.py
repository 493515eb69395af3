"""Oversight: the auditor's log search and export, verification, checkpoints, and reports."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from domain.errors import NotPermitted
from domain.people import Role, User
from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.records import CSV, PDF, XLSX, files
from interface.api.responses import FastJSON

router = APIRouter(prefix="/api/v1", tags=["oversight"])

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
READERS = {Role.AUDITOR, Role.EXECUTIVE, Role.DEPUTY, Role.CLERK}
PUBLISHERS = {Role.EXECUTIVE, Role.DEPUTY, Role.CLERK}


def check_reader(user: User) -> None:
    if user.role not in READERS:
        raise NotPermitted("เฉพาะผู้ตรวจสอบและผู้บริหาร", f"role '{user.role.value}' may not read the audit log")


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: str = Field(min_length=6, max_length=10)


class ScheduleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    report: str
    round: int | None = None
    cron: str


@router.get("/organisations/{org_code}/audit/events")
@store_work
def search_events(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    aggregate_type: str | None = None,
    aggregate_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: Annotated[int, Query(ge=0, lt=2**63)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    reason: Annotated[str, Query(max_length=500)] = "",
) -> FastJSON:
    """Events by organisation, aggregate type, aggregate, actor and time range (page with ``after``)."""
    check_org_visible(user, org_code)
    check_reader(user)
    found = svc.oversight.search(org_code, aggregate_type, aggregate_id, actor, since, until, after, limit)
    if user.role is Role.AUDITOR:
        svc.oversight.record_access(user, org_code, "audit/events", reason)
    return FastJSON(found, headers=index_headers(svc))


def covered(user: User, org: list[str] | None) -> list[str]:
    """The organisations a question across organisations is about: those named (each must be one the
    reader covers, else 404), or every one they cover."""
    check_reader(user)
    codes = list(dict.fromkeys(org)) if org else list(user.org_codes)
    for code in codes:
        check_org_visible(user, code)
    return codes


def index_headers(svc: Any) -> dict[str, str]:
    """How many of the latest events the index has not reached (the worker is catching up): said, since
    a search then finds only what was indexed."""
    behind = svc.oversight.index_behind()
    return {"X-Prongsai-Index-Behind": str(behind)} if behind else {}


@router.get("/audit/events")
@store_work
def search_events_across(
    svc: ServicesDep,
    user: CurrentUser,
    org: Annotated[list[str] | None, Query(max_length=10_000)] = None,
    aggregate_type: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: Annotated[int, Query(ge=0, lt=2**63)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    reason: Annotated[str, Query(max_length=500)] = "",
) -> FastJSON:
    """The same search across organisations: every organisation you cover, or those named by ``org``
    (repeated). Each organisation whose events the page shows is recorded as read."""
    codes = covered(user, org)
    found = svc.oversight.search(codes, aggregate_type, None, actor, since, until, after, limit)
    if user.role is Role.AUDITOR:
        for code in dict.fromkeys(row["org_code"] for row in found):
            svc.oversight.record_access(user, code, "audit/events", reason)
    return FastJSON(found, headers=index_headers(svc))


@router.get("/organisations/{org_code}/red-flags")
@store_work
def red_flags(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    rule: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
) -> FastJSON:
    """The organisation's red-flag register, newest first: rule, numbers, notice, the signer's note, and
    links to the procurement and its OCDS release."""
    check_org_visible(user, org_code)
    check_reader(user)
    return FastJSON(svc.oversight.red_flags([org_code], rule, unit, fiscal_year))


@router.get("/organisations/{org_code}/red-flags/cardinal")
@store_work
def cardinal(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
) -> FastJSON:
    """Open Contracting's Cardinal beside Prongsai's rules: for each matching Cardinal indicator, the fields it
    reads and how many of the organisation's published OCDS records hold them (Cardinal's ``coverage``),
    whether it could be computed on them, and the flags Prongsai's matching rules raised."""
    check_org_visible(user, org_code)
    check_reader(user)
    return FastJSON(svc.cardinal.readiness([org_code], fiscal_year))


@router.get("/audit/red-flags")
@store_work
def red_flags_across(
    svc: ServicesDep,
    user: CurrentUser,
    org: Annotated[list[str] | None, Query(max_length=10_000)] = None,
    rule: Annotated[str | None, Query(max_length=100)] = None,
    unit: Annotated[str | None, Query(max_length=200)] = None,
    fiscal_year: Annotated[int | None, Query(ge=2500, le=2700)] = None,
) -> FastJSON:
    """The register across the organisations you cover (or those named by ``org``)."""
    return FastJSON(svc.oversight.red_flags(covered(user, org), rule, unit, fiscal_year))


@router.get("/organisations/{org_code}/audit/access-log")
@store_work
def access_log(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Who (auditors) read personal data of this organisation, when and why."""
    check_org_visible(user, org_code)
    check_reader(user)
    return FastJSON(svc.oversight.accesses(org_code))


@router.get("/audit/export", responses=files("application/x-ndjson", what="the log as JSON Lines"))
@store_work
def export(svc: ServicesDep, user: CurrentUser, reason: Annotated[str, Query(max_length=500)] = "") -> Response:
    """The log up to the latest checkpoint as JSON Lines: full events of your organisations, digests
    of others'. Verify offline with ``prongsai verify --export FILE --public-key KEY``."""
    check_reader(user)
    lines = list(svc.oversight.export(user))
    for org_code in user.org_codes:
        svc.oversight.record_access(user, org_code, "audit/export", reason)
    return StreamingResponse(
        iter(line + "\n" for line in lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="prongsai-log.jsonl"'},
    )


@router.get("/audit/verify")
@store_work
def verify(svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Recompute the chain from the stored events and check it against the latest checkpoint."""
    check_reader(user)
    return FastJSON(svc.oversight.verify())


@router.get("/public/checkpoints")
@store_work
def checkpoints(svc: ServicesDep) -> FastJSON:
    return FastJSON(svc.oversight.checkpoints())


@router.get("/public/proofs/inclusion")
@store_work
def public_inclusion_proof(
    svc: ServicesDep,
    position: Annotated[int, Query(ge=1, lt=2**63)],
    checkpoint: Annotated[int | None, Query(ge=1, lt=2**31)] = None,
) -> FastJSON:
    """That a public record's event (a notice, a published report, the plan) is in the log a signed
    checkpoint covers: the event, its leaf and audit path (RFC 9162). Check offline with
    ``prongsai verify --proof FILE --public-key KEY``."""
    return FastJSON(svc.proofs.inclusion(position, checkpoint, public=True))


@router.get("/public/proofs/consistency")
@store_work
def consistency_proof(
    svc: ServicesDep,
    old: Annotated[int, Query(alias="from", ge=1, lt=2**31)],
    new: Annotated[int | None, Query(alias="to", ge=1, lt=2**31)] = None,
) -> FastJSON:
    """That checkpoint ``to`` (default the latest) only added events to checkpoint ``from``."""
    return FastJSON(svc.proofs.consistency(old, new))


@router.get("/audit/proofs/inclusion")
@store_work
def audit_inclusion_proof(
    svc: ServicesDep,
    user: CurrentUser,
    position: Annotated[int, Query(ge=1, lt=2**63)],
    checkpoint: Annotated[int | None, Query(ge=1, lt=2**31)] = None,
) -> FastJSON:
    """Any event's inclusion proof, for those who read the audit log."""
    check_reader(user)
    return FastJSON(svc.proofs.inclusion(position, checkpoint))


@router.get(
    "/public/public-key", responses=files("application/x-pem-file", what="the checkpoint-signing public key (PEM)")
)
@store_work
def public_key(svc: ServicesDep) -> Response:
    return Response(svc.oversight.signer.public_pem, media_type="application/x-pem-file")


@router.get(
    "/organisations/{org_code}/reports/{kind}", responses=files(CSV, XLSX, PDF, what="the report in the format asked")
)
@store_work
def build_report(
    org_code: str,
    kind: str,
    svc: ServicesDep,
    user: CurrentUser,
    period: str,
    format: str = "json",  # noqa: A002 - the query parameter's public name
) -> Response:
    """Build a report now (not recorded): ``period`` is 2562-r6, 2562-r12 or YYYY-MM."""
    check_org_visible(user, org_code)
    data = svc.reports.render(svc.reports.build(org_code, kind, period), format)
    filename = f"{kind}-{org_code}-{period}.{format}"
    return Response(
        data, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.post("/organisations/{org_code}/reports/{kind}/publish", status_code=201)
@store_work
def publish_report(org_code: str, kind: str, body: PublishRequest, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """Generate in every format and record the content hash as an event."""
    check_org_visible(user, org_code)
    if user.role not in PUBLISHERS:
        raise NotPermitted("ไม่มีสิทธิ์เผยแพร่รายงาน", f"role '{user.role.value}' may not publish reports")
    return FastJSON(svc.reports.publish(org_code, kind, body.period, "manual", user.as_actor()), status_code=201)


@router.get("/public/organisations/{org_code}/reports/{kind}/{period}")
@store_work
def published_report(org_code: str, kind: str, period: str, svc: ServicesDep) -> FastJSON:
    """Every published version of a report, with its content hash and figures (public, no people)."""
    versions: list[dict[str, Any]] = svc.reports.published(org_code, kind, period)
    return FastJSON(versions)


@router.get(
    "/public/organisations/{org_code}/reports/{kind}/{period}/{version}",
    responses=files(CSV, XLSX, PDF, what="the report exactly as published"),
)
@store_work
def published_document(
    org_code: str,
    kind: str,
    period: str,
    version: int,
    svc: ServicesDep,
    format: str = "pdf",  # noqa: A002 - the query parameter's public name
) -> Response:
    """A published report as it was published: regenerated from the log as of its publication and
    served only if its SHA-256 equals the hash recorded then (header ``X-Content-SHA256``)."""
    data = svc.reports.reproduce(org_code, kind, period, version, format)
    filename = f"{kind}-{org_code}-{period}-v{version}.{format}"
    return Response(
        data,
        media_type=MEDIA[format],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-SHA256": hashlib.sha256(data).hexdigest(),
        },
    )


@router.get("/public/organisations/{org_code}/reports/{kind}/{period}/{version}/proof")
@store_work
def published_document_proof(
    org_code: str,
    kind: str,
    period: str,
    version: int,
    svc: ServicesDep,
    format: str = "pdf",  # noqa: A002 - the query parameter's public name
) -> FastJSON:
    """The proof that a published document's hash was recorded in the log under a signed checkpoint:
    check it with ``prongsai verify --proof FILE --public-key KEY --document THE.pdf``."""
    return FastJSON(svc.proofs.document(org_code, kind, period, version, format))


@router.get("/public/organisations/{org_code}/ita/{year}")
@store_work
def ita_pack_index(org_code: str, year: Annotated[int, Path(ge=2500, le=2700)], svc: ServicesDep) -> FastJSON:
    """The latest ITA evidence pack of an assessment year: every OIT item with its public URL, its
    documents (with SHA-256 and proof links) and the signed checkpoint that covers them."""
    return FastJSON(svc.ita.latest(org_code, year))


@router.get("/organisations/{org_code}/report-schedule")
@store_work
def get_schedule(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON(svc.reports.schedule(org_code))


@router.put("/organisations/{org_code}/report-schedule")
@store_work
def set_schedule(org_code: str, body: list[ScheduleEntry], svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    if user.role not in PUBLISHERS:
        raise NotPermitted("ไม่มีสิทธิ์ตั้งกำหนดการรายงาน", f"role '{user.role.value}' may not change schedules")
    return FastJSON(svc.reports.set_schedule(user, org_code, [e.model_dump() for e in body]))
