"""What anyone may read without signing in: the plan and its published results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from interface.api.deps import ServicesDep
from interface.api.schemas import public_measure

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.get("/organisations")
def organisations(svc: ServicesDep) -> list[dict[str, Any]]:
    return [{"code": o.code, "name": o.name} for o in svc.organisations.all()]


@router.get("/organisations/{org_code}/measures")
def published_measures(
    org_code: str, svc: ServicesDep, fiscal_year: int | None = None
) -> list[dict[str, Any]]:
    svc.organisations.get(org_code)
    return [public_measure(m) for m in svc.measures.list(org_code, fiscal_year) if m.published]
