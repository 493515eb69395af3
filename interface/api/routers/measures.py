"""Measures: list, read (now or as of a past version/time), history; workflow commands from the catalogue."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from domain.measure_commands import MEASURES, Status
from interface.api.commands import add_command_routes
from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.records import READ_PROBLEMS, MeasureOut
from interface.api.responses import FastJSON
from interface.api.schemas import measure_json, measure_summary

router = APIRouter(prefix="/api/v1", tags=["measures"])


@router.get("/organisations/{org_code}/measures")
@store_work
def list_measures(
    org_code: str,
    svc: ServicesDep,
    user: CurrentUser,
    fiscal_year: int | None = None,
    status: Status | None = None,
) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON([measure_summary(m) for m in svc.measures.list(org_code, fiscal_year, status)])


@router.get("/measures/{measure_id}", response_model=MeasureOut, responses=READ_PROBLEMS)
@store_work
def get_measure(
    measure_id: UUID,
    svc: ServicesDep,
    user: CurrentUser,
    version: Annotated[int | None, Query(ge=1)] = None,
    as_of: datetime | None = None,
) -> FastJSON:
    if version is None and as_of is None:
        return FastJSON(measure_json(svc.measures.get(user, measure_id)))
    svc.measures.get(user, measure_id)  # type and visibility check
    return FastJSON(measure_json(svc.history.as_of(user, measure_id, version=version, moment=as_of)))


@router.get("/measures/{measure_id}/history")
@store_work
def measure_history(measure_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    svc.measures.get(user, measure_id)
    return FastJSON(svc.history.events(user, measure_id))


add_command_routes(
    router,
    MEASURES,
    prefix="/measures/{measure_id}",
    service=lambda s: s.measures,
    present=lambda m, _: measure_json(m),
    model=MeasureOut,
)
