"""What anyone may read without signing in: the plan and its published results."""

from __future__ import annotations

from fastapi import APIRouter

from interface.api.deps import ServicesDep, store_work
from interface.api.responses import FastJSON
from interface.api.schemas import public_measure

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/organisations")
@store_work
def organisations(svc: ServicesDep) -> FastJSON:
    return FastJSON([{"code": o.code, "name": o.name} for o in svc.organisations.all()])


@router.get("/organisations/{org_code}/measures")
@store_work
def published_measures(org_code: str, svc: ServicesDep, fiscal_year: int | None = None) -> FastJSON:
    svc.organisations.get(org_code)
    return FastJSON([public_measure(m) for m in svc.measures.list(org_code, fiscal_year) if m.published])
