"""The FastAPI application. One long-lived event-sourced application per process (lifespan)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from infrastructure.bootstrap import Services, bootstrap
from infrastructure.secrets import session_secret
from infrastructure.settings import Settings
from interface.api import errors
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
    )
    if services is not None:
        app.state.services = services
    errors.install(app, html=web.html_error)
    web.install(app, session_secret(settings), settings)

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (organisations, measures, delegations, procurements, complaints, audit, oversight, public):
        app.include_router(module.router)
    return app
