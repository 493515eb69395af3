"""The response models the OpenAPI document shows are what the API sends (extra fields are refused)."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from pydantic import BaseModel

from interface.api.records import ActingOut, ComplaintOut, DelegationOut, MeasureOut, ProcurementOut
from interface.api.responses import FastJSON
from interface.api.routers.complaints import staff_view
from interface.api.routers.procurements import procurement_json
from interface.api.schemas import acting_json, delegation_json, measure_json
from tests.unit.test_aggregates import (
    BASIS,
    CLERK,
    DAY,
    MAYOR,
    NOON,
    a_complaint,
    a_procurement,
    an_order,
    event_clock,  # noqa: F401 (the fixture)
)
from tests.unit.test_catalogue import in_state


def sent(content: dict) -> dict:
    return orjson.loads(FastJSON(content).body)


def a_signed_acting():
    from domain.delegation import ActingAppointment

    a = ActingAppointment.appoint("5490101", "ร9/2562", CLERK, MAYOR, "executive", NOON, None, "ลา", CLERK)
    a.sign(MAYOR, NOON, BASIS)
    return a


def a_busy_order():
    d = an_order()
    d.issue(MAYOR, DAY, BASIS)
    d.circulate(CLERK, ["กองคลัง"])
    d.revoke(MAYOR, NOON, "ยกเลิก", BASIS)
    return d


def a_busy_procurement():
    p = a_procurement()
    p.announce_plan(MAYOR, BASIS, "k", DAY, "2019-07")
    p.publish(CLERK, 1, "website", "https://example.go.th/1")
    p.cancel(MAYOR, BASIS, "", DAY + timedelta(days=1), "งบไม่พอ")
    return p


def a_busy_complaint():
    c = a_complaint("misconduct", "staff")
    c.start_fact_finding(MAYOR, "นิติกร", BASIS)
    return c


CASES = [
    (MeasureOut, lambda: measure_json(in_state("published"))),
    (MeasureOut, lambda: measure_json(in_state("planned"))),
    (DelegationOut, lambda: delegation_json(an_order())),
    (DelegationOut, lambda: delegation_json(a_busy_order())),
    (ActingOut, lambda: acting_json(a_signed_acting())),
    (ProcurementOut, lambda: procurement_json(a_procurement(), 2)),
    (ProcurementOut, lambda: procurement_json(a_busy_procurement(), 2)),
    (ComplaintOut, lambda: staff_view(a_complaint())),
    (ComplaintOut, lambda: staff_view(a_busy_complaint())),
]


@pytest.mark.parametrize(("model", "build"), CASES, ids=[f"{m.__name__}-{i}" for i, (m, _) in enumerate(CASES)])
def test_every_record_answer_matches_its_documented_model(model: type[BaseModel], build) -> None:
    body = sent(build())
    model.model_validate(body)
    assert set(body) == set(model.model_fields), "the document and the answer name the same fields"


def test_the_openapi_document_names_the_record_and_the_refusals_of_every_command() -> None:
    from interface.api.app import create_app

    paths = create_app().openapi()["paths"]
    post = paths["/api/v1/measures/{measure_id}/approve"]["post"]
    assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/MeasureOut")
    assert {"401", "403", "404", "409", "422"} <= set(post["responses"])
    assert post["responses"]["409"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


def test_every_operation_documents_its_refusals_as_problem_details() -> None:
    """Signed-in operations can answer 401/403/404/422/503 (writes 409 too); public ones 404/422/429/503 —
    all as application/problem+json, which is what the API sends (not FastAPI's default 422 body)."""
    from interface.api.app import create_app

    document = create_app().openapi()
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"404", "422", "503"} | ({"401", "403"} if operation.get("security") else {"429"})
            if operation.get("security") and method in ("post", "put"):
                expected.add("409")
            assert expected <= set(operation["responses"]), f"{method} {path}"
            for status in expected:
                assert list(operation["responses"][status]["content"]) == ["application/problem+json"], (method, path)
