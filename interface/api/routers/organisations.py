"""Who am I, which organisations and plans can I see."""

from __future__ import annotations

from fastapi import APIRouter

from interface.api.deps import CurrentUser, ServicesDep, check_org_visible, store_work
from interface.api.responses import FastJSON
from interface.api.schemas import user_json

router = APIRouter(prefix="/api/v1", tags=["organisations"])


@router.get("/me")
async def me(user: CurrentUser) -> FastJSON:
    return FastJSON(user_json(user))


@router.get("/me/notices")
@store_work
def my_notices(svc: ServicesDep, user: CurrentUser, lang: str = "th") -> FastJSON:
    """My reminders, overdue notices and escalations, newest first (what the desk's inbox shows)."""
    return FastJSON(svc.reminders.inbox(user, "en" if lang == "en" else "th"))


@router.get("/organisations")
@store_work
def organisations(svc: ServicesDep, user: CurrentUser) -> FastJSON:
    return FastJSON(
        [
            {"code": o.code, "name": o.name, "plans": o.plan_keys}
            for o in svc.organisations.all()
            if user.may_see(o.code)
        ]
    )


@router.get("/organisations/{org_code}/plans")
@store_work
def plans(org_code: str, svc: ServicesDep, user: CurrentUser) -> FastJSON:
    check_org_visible(user, org_code)
    return FastJSON(
        [
            {
                "id": str(p.id),
                "version": p.version,
                "plan_key": p.plan_key,
                "revision": p.revision,
                "organisation_name": p.organisation_name,
                "fiscal_years": p.fiscal_years,
                "dimensions": p.dimensions,
                "item_codes": p.item_codes,
                "content_hash": p.content_hash,
            }
            for p in svc.measures.plans(org_code)
        ]
    )
