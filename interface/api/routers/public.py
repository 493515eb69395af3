"""What anyone may read without signing in: the plan and its published results."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from domain.delegation import local_date
from interface.api.deps import ServicesDep, store_work
from interface.api.responses import FastJSON
from interface.api.schemas import public_delegation, public_measure

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/organisations")
@store_work
def organisations(svc: ServicesDep) -> FastJSON:
    return FastJSON([{"code": o.code, "name": o.name} for o in svc.organisations.all()])


@router.get("/organisations/{org_code}/measures")
@store_work
def published_measures(org_code: str, svc: ServicesDep, fiscal_year: int | None = None) -> FastJSON:
    svc.organisations.get(org_code)
    return FastJSON([public_measure(m) for m in svc.measures.published(org_code, fiscal_year)])


@router.get("/organisations/{org_code}/delegations")
@store_work
def delegation_register(org_code: str, svc: ServicesDep, on: date | None = None) -> FastJSON:
    """Who holds which delegated power (now, or at the end of a past date): names and positions only."""
    svc.organisations.get(org_code)
    day = on or local_date(svc.authority.clock.now())
    return FastJSON([public_delegation(d, day) for d in svc.authority.register(org_code, on)])
