"""Every error becomes problem+json with a Thai and an English message — mapped here, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAuthenticated,
    NotFound,
    NotPermitted,
    RuleBroken,
    StaleVersion,
    TooManyRequests,
    Unavailable,
)
from interface.api.responses import FastJSON

STATUS: dict[type[DomainError], int] = {
    NotAuthenticated: 401,
    NotPermitted: 403,
    NotFound: 404,
    InvalidTransition: 409,
    StaleVersion: 409,
    RuleBroken: 409,
    InvalidInput: 422,
    TooManyRequests: 429,
    Unavailable: 503,
}

PROBLEM = "application/problem+json"


def problem(status: int, code: str, th: str, en: str, **extra: Any) -> FastJSON:
    body = {
        "type": f"https://prongsai.go.th/problems/{code}",
        "title": en,
        "status": status,
        "detail": en,
        "code": code,
        "message_th": th,
        "message_en": en,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {"Retry-After": "60"} if status == 429 else None
    return FastJSON(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


HTTP_MESSAGES = {
    404: ("ไม่พบหน้าที่ร้องขอ", "no such resource"),
    405: ("ไม่รองรับวิธีการเรียกนี้", "method not allowed"),
}


HtmlError = Callable[[Request, DomainError, int], Response]


def install(app: FastAPI, html: HtmlError | None = None) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if html is not None and not request.url.path.startswith("/api/"):
            return html(request, exc, status_of(exc))
        details = {k: v for k, v in exc.details.items() if isinstance(v, (int, str, list, bool))}
        return problem(status_of(exc), exc.code, exc.th, exc.en, **details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> FastJSON:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
        return problem(
            422,
            "invalid-input",
            f"ข้อมูลที่ส่งมาไม่ถูกต้อง ({where})",
            f"malformed request ({where})",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> FastJSON:
        th, en = HTTP_MESSAGES.get(exc.status_code, ("คำขอไม่ถูกต้อง", str(exc.detail)))
        response = problem(exc.status_code, f"http-{exc.status_code}", th, en)
        for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
            response.headers[name] = value
        return response

    @app.exception_handler(OperationalError)
    async def store_busy(_: Request, exc: OperationalError) -> FastJSON:
        response = problem(
            503,
            "store-busy",
            "ฐานข้อมูลไม่ว่างชั่วคราว กรุณาลองใหม่",
            "the event store is busy; retry shortly",
        )
        response.headers["Retry-After"] = "1"
        return response
