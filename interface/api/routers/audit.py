"""Any aggregate's history and past state, for auditors and staff of its organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from interface.api.deps import CurrentUser, ServicesDep, store_work
from interface.api.responses import FastJSON

router = APIRouter(prefix="/api/v1/aggregates", tags=["audit"])


def state_json(aggregate: Any) -> dict[str, Any]:
    return {
        "id": str(aggregate.id),
        "type": type(aggregate).__name__,
        "version": aggregate.version,
        "created_on": aggregate.created_on,
        "modified_on": aggregate.modified_on,
        "state": {k: v for k, v in vars(aggregate).items() if not k.startswith(("_", "legacy_"))},
    }


@router.get("/{aggregate_id}/history")
@store_work
def history(aggregate_id: UUID, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(svc.history.events(user, aggregate_id))


@router.get("/{aggregate_id}")
@store_work
def as_of(
    aggregate_id: UUID,
    svc: ServicesDep,
    user: CurrentUser,
    version: Annotated[int | None, Query(ge=1)] = None,
    as_of: datetime | None = None,
) -> FastJSON:
    return FastJSON(state_json(svc.history.as_of(user, aggregate_id, version=version, moment=as_of)))
