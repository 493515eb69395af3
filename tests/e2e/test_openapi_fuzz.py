"""Schemathesis against the API's own OpenAPI document: no 5xx, and every answer as documented.

Every operation is called with generated requests (valid and malformed bodies, queries, headers) as
anonymous, as the mayor (executive) and as an auditor, in a town holding a record of every kind in
every state. Identifiers in the path are sometimes the town's real records, so generated bodies reach
the domain rather than stopping at "not found". Checked on each answer: not a server error; the
status code is one the operation declares; the content type and the body match its declared schema.
The run is derandomised (tests/conftest.py's Hypothesis profile), so it is the same run every time.
"""

from __future__ import annotations

import zlib
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from interface.api.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4  # per operation and caller: 106 operations × 3 callers × up to 4 ≥ 1,000 cases
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)


def real_ids(world: Any) -> dict[str, str]:
    first = {kind: str(next(iter(ids.values()))) for kind, ids in world.ids.items()}
    return {
        "measure_id": first["measures"],
        "aggregate_id": first["measures"],
        "delegation_id": first["delegations"],
        "acting_id": first["acting"],
        "procurement_id": first["procurements"],
        "complaint_id": first["complaints"],
        "org_code": "5490101",
    }


def fuzz(operation: Any, headers: dict[str, str], ids: dict[str, str], cases: list[str]) -> None:
    @FUZZ
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        if (
            case.path_parameters and zlib.crc32(repr(case.body).encode()) % 2 == 0
        ):  # half of them reach the town's records
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        cases.append(operation.label)
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


def test_every_answer_is_a_documented_one(town: tuple[Any, Any, Any]) -> None:
    svc, world, people = town
    api = schemathesis.openapi.from_asgi("/openapi.json", create_app(svc))
    ids = real_ids(world)
    callers = {"anonymous": {}} | {
        who: {"Authorization": f"Bearer {people.tokens[who]}"} for who in ("mayor", "auditor")
    }
    cases: list[str] = []
    failures: list[str] = []
    operations = [result.ok() for result in api.get_all_operations()]
    for operation in operations:
        for who, headers in callers.items():
            try:
                fuzz(operation, headers, ids, cases)
            except BaseException as failure:  # noqa: BLE001 — gather every operation's failures, then report all
                if isinstance(failure, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.method.upper()} {operation.path} as {who}: {str(failure)[:600]}")
    assert not failures, f"{len(failures)} operations answered outside their documentation:\n" + "\n".join(failures)
    assert len(operations) >= 100 and len(cases) >= 1000, (len(operations), len(cases))
    print(f"schemathesis: {len(cases)} cases, {len(operations)} operations × {len(callers)} callers, as documented")
