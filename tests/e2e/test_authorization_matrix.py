"""The authorization matrix: every API operation × every role × own and other organisation.

Every operation of the OpenAPI document is called by anonymous, by a user of each role in the
organisation that holds the record, and by a user of each role in another organisation. Each answer
is one of ✓ (let through: it reached the record — 2xx, a stale-version 409 or the record's own 422),
401, 403 or 404. Commands are sent with a version that can never match, so an allowed command answers
409 and the town is not changed.

The resulting table must equal ``docs/authorization.md`` exactly (review a change there like code;
``PRONGSAI_WRITE_MATRIX=1`` rewrites it), and three rules are checked on their own:
- nobody signed-out reaches anything but the public API;
- nobody reaches another organisation's records (only the public API, and what is scoped to the
  caller's own organisations: ``/me``, ``/organisations``, the log's verification and export);
- a command is let through for exactly the roles its catalogue entry declares.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.complaint_commands import COMPLAINTS
from domain.delegation_commands import ACTING, DELEGATIONS
from domain.measure_commands import MEASURES
from domain.people import Role
from domain.procurement_commands import PROCUREMENTS
from interface.api.app import create_app
from tests.conftest import ORG, OTHER_ORG

MATRIX_DOC = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
ROLES = [r.value for r in Role]
STALE = 2**31  # no record ever reaches this version: an allowed command answers 409 and changes nothing
# Public: the citizen API, and a procurement's OCDS data (its notices are public by law once issued).
PUBLIC = ("/api/v1/public/", "/api/v1/health", "/api/v1/procurements/{procurement_id}/ocds/")
# About the caller's own organisations (naming another one is a 404: test_oversight_api.py).
UNSCOPED = {"/api/v1/me", "/api/v1/me/notices", "/api/v1/organisations", "/api/v1/audit/verify", "/api/v1/audit/export",
            "/api/v1/audit/proofs/inclusion", "/api/v1/audit/events", "/api/v1/audit/red-flags"}  # fmt: skip
CATALOGUES = {
    "/api/v1/measures/{measure_id}/": MEASURES,
    "/api/v1/delegations/{delegation_id}/": DELEGATIONS,
    "/api/v1/acting/{acting_id}/": ACTING,
    "/api/v1/procurements/{procurement_id}/": PROCUREMENTS,
    "/api/v1/complaints/{complaint_id}/": COMPLAINTS,
}


@pytest.fixture(scope="module")
def matrix(town: tuple[Any, Any, Any]) -> dict[tuple[str, str], dict[str, str]]:
    svc, world, people = town
    tokens = {f"own:{role}": _token(svc, people, f"own_{role}", Role(role), ORG) for role in ROLES}
    tokens |= {f"other:{role}": _token(svc, people, f"other_{role}", Role(role), OTHER_ORG) for role in ROLES}
    report = svc.reports.publish(ORG, "plan-progress", "2562-r6")  # so that the public report routes find one
    svc.ita.assemble(ORG, 2562)  # an ITA pack (and the checkpoint sealing it) for the pack and proof routes
    client = TestClient(create_app(svc), raise_server_exceptions=False)
    spec = client.get("/openapi.json").json()
    values = {
        "org_code": ORG,
        "measure_id": str(world.ids["measures"]["in_progress"]),
        "aggregate_id": str(world.ids["measures"]["in_progress"]),
        "delegation_id": str(world.ids["delegations"]["issued"]),
        "acting_id": str(world.ids["acting"]["signed"]),
        "procurement_id": str(world.ids["procurements"]["invited"]),
        "complaint_id": str(world.ids["complaints"]["in_progress"]),
        "step_no": 1,
        "index": 1,
        "number": 1,
        "kind": "plan-progress",
        "list_name": "debarments",
        "period": "2562-r6",
        "version": report["version"],  # of the published report
        "sha256": "0" * 64,
        "year": 2562,  # the ITA assessment year assembled above
        "x-tracking-code": next(iter(world.tracking.values())),
    }
    table: dict[tuple[str, str], dict[str, str]] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            url, headers, query = _request(path, operation, values, spec)
            body = (
                _example(operation["requestBody"]["content"]["application/json"]["schema"], spec)
                if ("requestBody" in operation)
                else None
            )
            row = {}
            for who in ["anonymous", *tokens]:
                auth = {"Authorization": f"Bearer {tokens[who]}"} if who in tokens else {}
                answer = client.request(method.upper(), url, params=query, json=body, headers={**headers, **auth})
                row[who] = _outcome(method, path, who, answer)
            table[(method.upper(), path)] = row
    return table


def _token(svc: Any, people: Any, name: str, role: Role, org: str) -> str:
    _, token = svc.users.add(name, f"คุณ{name}", role, [org])
    return token


def _request(path: str, operation: dict[str, Any], values: dict[str, Any], spec: dict) -> tuple[str, dict, dict]:
    url, headers, query = path, {}, {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "path":
            url = url.replace("{" + name + "}", str(values[name]))
        elif where == "header" and name in values:
            headers[name] = values[name]
        elif where == "query" and name == "format":
            query[name] = "json"  # the cheapest rendering: authorization does not depend on it
        elif where == "query" and parameter.get("required"):
            query[name] = "ตรวจสอบตามแผน" if name == "reason" else _example(parameter["schema"], spec, name)
    return url, headers, query


def _example(schema: dict[str, Any], spec: dict[str, Any], name: str = "") -> Any:
    """The smallest value the schema accepts (so that pydantic lets the request through to the checks)."""
    if "$ref" in schema:
        return _example(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], spec, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], spec, name)
    if name == "period":
        return "2562-r6"
    if name.endswith("_satang"):
        return 100_000_00
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {k: _example(v, spec, k) for k, v in properties.items() if k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], spec, name)] if schema.get("minItems") else []
    if kind == "integer":
        if name == "version":
            return STALE
        return max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2019-06-29"
    if schema.get("format") == "date-time":
        return "2019-06-29T10:00:00+07:00"
    if schema.get("pattern", "").startswith(r"^\d{4}-"):
        return "2019-06"
    if name in {"actor", "assignee", "delegate", "delegator", "acting_person", "username"}:
        return "own_staff"
    return "ข้อความทดสอบ"[: schema.get("maxLength", 100)]


def _outcome(method: str, path: str, who: str, answer: Any) -> str:
    status = answer.status_code
    assert status < 500, f"{method.upper()} {path} as {who}: {status} {answer.text[:300]}"
    if status == 422 and "errors" in answer.json():
        pytest.fail(f"{method.upper()} {path}: the matrix sent a malformed request ({answer.json()['message_en']})")
    return str(status) if status in (401, 403, 404) else "✓"


# -- the table ---------------------------------------------------------------------------------------


def render(table: dict[tuple[str, str], dict[str, str]]) -> str:
    lines = [
        "# Who may call what — the API's authorization matrix",
        "",
        "Generated by `tests/e2e/test_authorization_matrix.py`, which fails when the running API differs from",
        "this table (`PRONGSAI_WRITE_MATRIX=1` rewrites it after a deliberate change). Each cell: what a user",
        "of that role gets on a record of **their own** organisation / of **another** one. ✓ = let through",
        "(the answer then depends on the record: 200, 409 for a stale version or a wrong state, 422 for bad",
        "values); 401 = sign-in needed; 403 = not for this role; 404 = not visible to this user.",
        "",
        "| operation | anonymous | " + " | ".join(ROLES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in ROLES) + " |",
    ]
    for (method, path), row in table.items():
        cells = [row["anonymous"]] + [f"{row['own:' + r]} / {row['other:' + r]}" for r in ROLES]
        lines.append(f"| `{method} {path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def test_the_matrix_is_the_documented_one(matrix: dict[tuple[str, str], dict[str, str]]) -> None:
    text = render(matrix)
    if os.environ.get("PRONGSAI_WRITE_MATRIX") == "1":
        MATRIX_DOC.write_text(text, encoding="utf-8")
    assert len(matrix) >= 100
    assert MATRIX_DOC.read_text(encoding="utf-8") == text, "authorization changed: review docs/authorization.md"


def test_signed_out_reaches_only_the_public_api(matrix: dict[tuple[str, str], dict[str, str]]) -> None:
    for (method, path), row in matrix.items():
        expected = "✓" if path.startswith(PUBLIC) else "401"
        assert row["anonymous"] == expected, f"{method} {path}"


def test_no_role_reaches_another_organisations_records(matrix: dict[tuple[str, str], dict[str, str]]) -> None:
    for (method, path), row in matrix.items():
        if path.startswith(PUBLIC) or path in UNSCOPED:
            continue
        for role in ROLES:
            assert row[f"other:{role}"] in {"403", "404"}, f"{method} {path} as {role} of {OTHER_ORG}"


def test_each_command_is_let_through_for_exactly_its_declared_roles(
    matrix: dict[tuple[str, str], dict[str, str]],
) -> None:
    checked = 0
    for prefix, catalogue in CATALOGUES.items():
        for command in catalogue:
            path = prefix + command.api_path
            row = matrix[("POST", path)]
            let_through = {role for role in ROLES if row[f"own:{role}"] == "✓"}
            assert let_through == {r.value for r in command.roles}, f"POST {path}"
            assert {row[f"own:{role}"] for role in ROLES} - {"✓"} <= {"403"}, f"POST {path}"
            checked += 1
    assert checked == sum(len(list(c)) for c in CATALOGUES.values())


def test_the_auditor_changes_nothing(matrix: dict[tuple[str, str], dict[str, str]]) -> None:
    """Oversight reads; its only writes are reads of sealed data that log who read and why."""
    reads_that_post = {re.compile(r".*/identity$")}
    for (method, path), row in matrix.items():
        if method in {"POST", "PUT"} and not path.startswith(PUBLIC):
            if any(p.match(path) for p in reads_that_post):
                continue
            assert row["own:auditor"] == "403", f"{method} {path}"
