"""Dependency aliases: the services, and the signed-in user from the bearer token."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.errors import NotAuthenticated, NotFound
from domain.people import User
from infrastructure.bootstrap import Services

bearer = HTTPBearer(auto_error=False, description="Token printed by `prongsai users add`")


async def services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(services)]


async def current_user(
    svc: ServicesDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> User:
    if credentials is None:
        raise NotAuthenticated(
            "ต้องเข้าสู่ระบบ (ส่ง Authorization: Bearer <token>)",
            "sign-in required (send Authorization: Bearer <token>)",
        )
    token = credentials.credentials
    return svc.users.cached_user(token) or await svc.runner.run(svc.users.authenticate, token)


CurrentUser = Annotated[User, Depends(current_user)]


def check_org_visible(user: User, org_code: str) -> None:
    if not user.may_see(org_code):
        raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")


def check_lookup_rate(request: Request, svc: Services) -> None:
    """Guessing tracking codes is rate-limited per client address (the limiter is built once, at the root)."""
    svc.tracking_limiter.check(request.client.host if request.client else "unknown")


T = TypeVar("T")


def store_work(fn: Callable[..., T]) -> Callable[..., Any]:
    """Turn a blocking endpoint (which takes ``svc``, or a web page's ``request``) into an async one run
    by the store runner."""

    @functools.wraps(fn)
    async def endpoint(*args: Any, **kwargs: Any) -> T:
        services = kwargs["svc"] if "svc" in kwargs else kwargs["request"].app.state.services
        return await services.runner.run(fn, *args, **kwargs)

    return endpoint
