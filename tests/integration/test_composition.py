"""The composition root builds every service once, on one store and one clock, for every edge."""

from __future__ import annotations


def test_every_service_is_built_once_and_shared(services):
    svc = services
    shared = [
        (svc.reports.delegations, svc.delegations),
        (svc.reports.measures, svc.measures),
        (svc.reports.complaints, svc.complaints),
        (svc.reports.procurements, svc.procurements),
        (svc.reports.organisations, svc.organisations),
        (svc.audit.measures, svc.measures),
        (svc.audit.authority, svc.authority),
        (svc.audit.procurements, svc.procurements),
        (svc.audit.complaints, svc.complaints),
        (svc.measures.authority, svc.authority),
        (svc.delegations.authority, svc.authority),
        (svc.complaints.authority, svc.authority),
        (svc.procurements.authority, svc.authority),
        (svc.ocds.procurements, svc.procurements),
        (svc.oversight.projections, svc.projections),
        (svc.users.organisations, svc.organisations),
    ]
    for used, built in shared:
        assert used is built, f"{type(built).__name__} is built twice"
    apps = {id(s.app) for s in (svc.measures, svc.delegations, svc.complaints, svc.procurements, svc.reports)}
    assert apps == {id(svc.app)}, "one event store"
    clocks = {id(s.clock) for s in (svc.measures, svc.delegations, svc.complaints, svc.procurements)}
    assert clocks == {id(svc.clock)}, "one clock"


def test_the_web_and_the_api_share_the_services_and_the_limiter(services):
    from interface.api.app import create_app

    app = create_app(services)
    assert app.state.services is services
    assert services.tracking_limiter.limit == services.settings.tracking_lookups_per_minute
