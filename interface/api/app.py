"""The FastAPI application. One long-lived event-sourced application per process (lifespan)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.secrets import session_secret
from infrastructure.settings import Settings
from interface.api import errors
from interface.api.records import PUBLIC_REFUSALS, READ_REFUSALS, WRITE_REFUSALS, Problem, problems
from interface.api.responses import FastJSON
from interface.api.routers import (
    audit,
    complaints,
    delegations,
    measures,
    organisations,
    oversight,
    procurements,
    public,
)
from interface.web import views as web

PROCESS = secrets.token_hex(4)  # tells apart the processes of ``serve --workers N`` (no PID, no host name)


def create_app(services: Services | None = None) -> FastAPI:
    """Build the app; without ``services`` it bootstraps from ``PRONGSAI_*`` settings at start-up."""

    settings = services.settings if services else Settings()  # read once, for the root and the session secret

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or bootstrap(settings)
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="Prongsai (โปร่งใส)",
        version="0.1.0",
        description="Event-sourced anti-corruption action plan workflow for Thai local government.",
        lifespan=lifespan,
        default_response_class=FastJSON,
        docs_url=None,  # served below from the installed swagger-ui-bundle: no CDN, works offline
        redoc_url=None,
    )
    if services is not None:
        app.state.services = services
    install_docs(app)
    errors.install(app, html=web.html_error)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        """Alive; ``process`` names the API process that answered (random, per start) when several serve."""
        return {"status": "ok", "process": PROCESS}

    for module in (organisations, measures, delegations, procurements, complaints, audit, oversight, public):
        app.include_router(module.router)
    # The web pages after the API: a request is matched against the routes in order, and most are API calls.
    web.install(app, session_secret(settings), settings)
    document_refusals(app)
    return app


def document_refusals(app: FastAPI) -> None:
    """Every operation's OpenAPI entry lists the refusals it can answer with, as problem details.

    Which ones follows from the operation itself: one that takes a bearer token can be refused for a
    missing token, a role, an invisible record (and, when it writes, a state or a stale version); one
    that takes none is public and can only be not found, malformed, rate-limited or unavailable.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = build()
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        for operations in document["paths"].values():
            for method, operation in operations.items():
                if not operation.get("security"):
                    statuses = PUBLIC_REFUSALS
                else:
                    statuses = WRITE_REFUSALS if method in ("post", "put", "patch", "delete") else READ_REFUSALS
                for status, entry in problems(*statuses).items():
                    said = operation["responses"].setdefault(str(status), entry)
                    said["content"] = entry["content"]  # refusals are problem details, never FastAPI's default body
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def install_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the installed ``swagger-ui-bundle`` package, so the API's interactive
    documentation works on a municipal network without internet."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
        )
