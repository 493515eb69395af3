"""Procurement notices: registration, signed notices, publication channels, observers, outputs."""

from __future__ import annotations

import base64
import binascii
import inspect
from datetime import date
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from domain.catalogue import as_arguments
from domain.errors import InvalidInput
from domain.procurement_commands import PROCUREMENTS
from domain.values import parse_satang
from interface.api.commands import _camel, add_command_routes, command_input, model_of
from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.records import CSV, READ_PROBLEMS, XLSX, ProcurementOut, files
from interface.api.responses import FastJSON

router = APIRouter(prefix="/api/v1", tags=["procurement"])
Money = StrictInt | StrictStr  # integer satang, or baht as text ("๑,๕๐๐,๐๐๐.๐๐"); never a float


class ProcurementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    project_no: str = Field(min_length=1, max_length=50)
    subject: str = Field(min_length=1, max_length=500)
    unit: str = Field(min_length=1, max_length=200)
    budget: Money
    method: Literal["e_bidding", "e_market", "selective", "specific"]
    fiscal_year: int | None = Field(default=None, ge=2500, le=2700)
    specific_ground: str | None = None
    measure_id: UUID | None = None
    planned: dict[Literal["invitation", "award", "contract", "delivery"], date] = {}
    budget_source: str | None = Field(default=None, max_length=200, description="แหล่งที่มาของงบประมาณ, e.g. งบลงทุน")


def procurement_json(p: Any, min_channels: int) -> dict[str, Any]:
    return {
        "id": str(p.id),
        "version": p.version,
        "org_code": p.org_code,
        "project_no": p.project_no,
        "subject": p.subject,
        "unit": p.unit,
        "budget_satang": p.budget_satang,
        "fiscal_year": p.fiscal_year,
        "method": p.method.value,
        "specific_ground": p.specific_ground,
        "measure_id": str(p.measure_id) if p.measure_id else None,
        "planned": p.planned,
        "budget_source": p.budget_source,
        "notices": [{**n, "published": len(n["channels"]) >= min_channels} for n in p.notices],
        "warnings": p.warnings,
        "observers": p.observers,
        "cancelled": p.cancelled,
    }


add_command_routes(
    router,
    PROCUREMENTS,
    prefix="/procurements/{procurement_id}",
    service=lambda s: s.procurements,
    present=lambda p, s: procurement_json(p, s.procurements.rules.min_channels),
    model=ProcurementOut,
)


def red_flag_preview(name: str, kind: str) -> Any:
    """``POST /procurements/{id}/notices/{kind}/red-flags``: the flags a notice would raise, for the signer
    to see before signing (the notice's own body; nothing is written)."""
    command = PROCUREMENTS[name]
    body_model = model_of(command.input, name=f"Procurement{_camel(name)}RedFlags", versioned=True)  # as signed

    def preview(**kwargs: Any) -> FastJSON:
        typed = command_input(command, kwargs["body"], {})
        flags = kwargs["svc"].procurements.red_flags(
            kwargs["user"], kwargs["procurement_id"], kind, **as_arguments(typed)
        )
        return FastJSON(flags)

    keyword = inspect.Parameter.KEYWORD_ONLY
    preview.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter("procurement_id", keyword, annotation=UUID),
        inspect.Parameter("body", keyword, annotation=body_model),
        inspect.Parameter("svc", keyword, annotation=ServicesDep),
        inspect.Parameter("user", keyword, annotation=CurrentUser),
    ])  # fmt: skip
    preview.__name__ = f"red_flags_{kind}"
    return store_work(preview)


for _name, _kind in (("reference-price", "reference_price"), ("invitation", "invitation"), ("winner", "winner")):
    router.add_api_route(
        f"/procurements/{{procurement_id}}/notices/{_kind}/red-flags",
        red_flag_preview(_name, _kind),
        methods=["POST"],
        name=f"procurement:{_name}:red-flags",
        summary=f"Red flags this notice would raise ({PROCUREMENTS[_name].th}: ข้อสังเกต)",
        description="What the signer is shown before signing; sign with an `acknowledgement` note when any.",
        responses=READ_PROBLEMS,
    )


@router.post(
    "/organisations/{org_code}/procurements",
    status_code=201,
    responses={200: {"description": "registered before with the same project number: the record as it is"}},
)
@store_work
def register(org_code: str, body: ProcurementIn, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    p, created = svc.procurements.register(
        user,
        org_code,
        body.project_no,
        body.subject,
        body.unit,
        parse_satang(body.budget, "งบประมาณ", "budget"),
        body.method,
        body.fiscal_year,
        body.specific_ground,
        body.measure_id,
        {k: v.isoformat() for k, v in body.planned.items()},
        body.budget_source,
    )
    return FastJSON(procurement_json(p, svc.procurements.rules.min_channels), status_code=201 if created else 200)


@router.get("/organisations/{org_code}/procurements")
@store_work
def list_procurements(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON([procurement_json(p, svc.procurements.rules.min_channels) for p in svc.procurements.list(org_code)])


@router.get("/procurements/{procurement_id}", response_model=ProcurementOut, responses=READ_PROBLEMS)
@store_work
def get_procurement(procurement_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(procurement_json(svc.procurements.get(user, procurement_id), svc.procurements.rules.min_channels))


@router.get("/procurements/{procurement_id}/ocds/releases")
@store_work
def ocds_releases(procurement_id: UUID, svc: ServicesDep) -> FastJSON:
    """Each notice as an OCDS 1.1 release, as it stood at its own notice (public data; never changes)."""
    return FastJSON(svc.ocds.releases(procurement_id))


@router.get("/procurements/{procurement_id}/ocds/record")
@store_work
def ocds_record(procurement_id: UUID, svc: ServicesDep) -> FastJSON:
    """The compiled OCDS record of the procurement (ocdsmerge); 503 until the schema is set up."""
    return FastJSON(svc.ocds.record(procurement_id))


@router.get("/procurements/{procurement_id}/ocds/release-package")
@store_work
def ocds_release_package(procurement_id: UUID, svc: ServicesDep) -> FastJSON:
    """An OCDS release package of the procurement (uri, publisher, publishedDate, version, license)."""
    return FastJSON(svc.ocds.release_package(procurement_id))


@router.get("/procurements/{procurement_id}/ocds/record-package")
@store_work
def ocds_record_package(procurement_id: UUID, svc: ServicesDep) -> FastJSON:
    """An OCDS record package of the procurement; 503 until the schema is set up."""
    return FastJSON(svc.ocds.record_package(procurement_id))


@router.get("/public/organisations/{org_code}/ocds/release-package")
@store_work
def ocds_month_release_package(org_code: str, month: str, svc: ServicesDep) -> FastJSON:
    """Every release of the organisation's notices recorded in a month (YYYY-MM)."""
    svc.organisations.get(org_code)
    return FastJSON(svc.ocds.month_release_package(org_code, month))


@router.get("/public/organisations/{org_code}/ocds/record-package")
@store_work
def ocds_month_record_package(org_code: str, month: str, svc: ServicesDep) -> FastJSON:
    """Records of the procurements with a notice in the month, each as it stood at the month's end."""
    svc.organisations.get(org_code)
    return FastJSON(svc.ocds.month_record_package(org_code, month))


@router.get("/public/organisations/{org_code}/procurement-notices")
@store_work
def public_register(org_code: str, svc: ServicesDep) -> FastJSON:
    """Every notice, newest first, with its publication channels."""
    svc.organisations.get(org_code)
    return FastJSON(svc.procurements.register_of_notices(org_code))


@router.get("/public/organisations/{org_code}/procurement-summary", responses=files(CSV, XLSX, what="แบบ สขร.๑"))
@store_work
def monthly_summary(org_code: str, month: str, svc: ServicesDep, format: str = "json") -> Response:  # noqa: A002
    """แบบ สขร.๑ for a month, as JSON, CSV or XLSX."""
    content = svc.reports.build(org_code, "procurement-summary", month)
    if format == "json":
        return FastJSON(content)
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    if format not in media:
        raise InvalidInput("รูปแบบต้องเป็น json, csv หรือ xlsx", "format must be json, csv or xlsx")
    return Response(svc.reports.render(content, format), media_type=media[format])


# -- imported facts about firms: company facts and the debarment list (domain/suppliers.py) ---------------


class SupplierFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=200, description="ends in .csv or .xlsx")
    content_base64: str = Field(min_length=1, max_length=28_000_000)


@router.post("/organisations/{org_code}/suppliers/{list_name}")
@store_work
def import_suppliers(
    org_code: str,
    list_name: Literal["companies", "debarments"],
    body: SupplierFile,
    svc: ServicesDep,
    user: CurrentUser,
) -> FastJSON:
    """Import company facts (tax id, name, address, directors) or the debarment list (ผู้ทิ้งงาน) from a CSV or
    XLSX file: it replaces the list before it and is recorded as an event; a bad row refuses the file."""
    check_org_visible(user, org_code)
    svc.suppliers.check_importer(user, org_code)
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(f"ไฟล์ '{body.filename}' ไม่ใช่ base64", f"'{body.filename}' is not base64") from None
    return FastJSON(svc.suppliers.import_file(user, org_code, list_name, body.filename, content))


@router.get("/organisations/{org_code}/suppliers")
@store_work
def suppliers(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    """What the organisation imported: each list's file, digest, date and rows; the debarment list."""
    check_org_visible(user, org_code)
    return FastJSON(svc.suppliers.summary(user, org_code))
