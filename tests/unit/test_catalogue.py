"""The command catalogues are the one place a command lives: guarded, routed and offered exactly as declared.

No store: aggregates are built in memory; the routes are read from the application object.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from application.complaints import Complaints
from application.delegations import Delegations
from application.measures import Measures
from application.procurements import Procurements
from domain.catalogue import Catalogue, input_fields
from domain.complaint_commands import COMPLAINTS
from domain.delegation_commands import ACTING, DELEGATIONS
from domain.errors import DomainError, InvalidInput, InvalidTransition, NotPermitted
from domain.measure import Measure, Status
from domain.measure_commands import MEASURES
from domain.people import Role
from domain.procurement_commands import PROCUREMENTS

CATALOGUES: dict[str, tuple[Catalogue, type, str]] = {
    "measure": (MEASURES, Measures, "/api/v1/measures/{measure_id}"),
    "delegation": (DELEGATIONS, Delegations, "/api/v1/delegations/{delegation_id}"),
    "acting": (ACTING, Delegations, "/api/v1/acting/{acting_id}"),
    "procurement": (PROCUREMENTS, Procurements, "/api/v1/procurements/{procurement_id}"),
    "complaint": (COMPLAINTS, Complaints, "/api/v1/complaints/{complaint_id}"),
}
A = {"username": "somchai", "name": "สมชาย", "position": "เจ้าหน้าที่", "role": "staff"}
B = {"username": "mayor", "name": "นายก", "position": "นายกเทศมนตรี", "role": "executive"}
BASIS = {"kind": "position", "position": "นายกเทศมนตรี"}
DOC = {"number": "มห 1/2562", "link": "https://example.go.th/1"}
DAY = date(2019, 3, 1)


@pytest.fixture(autouse=True)
def event_clock() -> None:
    from datetime import datetime

    from domain.clock import BANGKOK, use_for_events
    from infrastructure.clock import ManualClock

    use_for_events(ManualClock(datetime(2019, 6, 30, 9, 0, tzinfo=BANGKOK)))


def fresh(allocation: int | None = 1_000_000, steps: int = 2) -> Measure:
    details = {"name": "ทดสอบ", "steps": [f"ขั้น {i}" for i in range(1, steps + 1)], "kpis": ["k1"], "no_budget": False}
    return Measure("5490101", "2562-2564", "9.9.9", 2562, details, allocation, A)


def in_state(name: str) -> Measure:
    """A measure brought to a state through its own commands."""
    m = fresh()
    walk: list[tuple[str, Callable[[Measure], None]]] = [
        ("planned", lambda m: None),
        ("submitted", lambda m: m.submit(A, "")),
        ("approved", lambda m: m.approve(B, "", BASIS)),
        ("in_progress", lambda m: m.start(A, DAY, DAY, "")),
        ("steps_done", lambda m: [m.complete_step(A, n, DAY, DAY, DOC, "") for n in (1, 2)]),
        ("completed", lambda m: m.complete(B, DAY, DAY, "")),
        ("result_reported", lambda m: m.report_result(B, [{"actual": "ครบ", "met": True}], "สรุป")),
        ("published", lambda m: m.publish(B, "")),
    ]
    if name == "returned":
        m.submit(A, "")
        m.return_for_revision(B, "แก้", BASIS)
        return m
    if name == "could_not_proceed":
        m.declare_could_not_proceed(B, "policy_change", "")
        return m
    for step, move in walk:
        move(m)
        if step == name:
            return m
    raise AssertionError(name)


# What a measure's law allows next, written out here independently of the catalogue: a command
# added to, or a state widened in, the catalogue alone makes this test fail.
# Recording the budget the annual ordinance gave the item is open in every state of an item with a budget
# (the e-Plan export reports it beside the plan's figure, whenever the ordinance is passed or amended).
ORDINANCE = "record-ordinance-budget"
LAWFUL_NEXT = {
    "planned": {"submit", "could-not-proceed", ORDINANCE},
    "submitted": {"approve", "return", "could-not-proceed", ORDINANCE},
    "returned": {"submit", "could-not-proceed", ORDINANCE},
    "approved": {"start", "disburse", "could-not-proceed", ORDINANCE},
    "in_progress": {"complete-step", "complete", "disburse", "could-not-proceed", ORDINANCE},
    "steps_done": {"correct-step", "complete", "disburse", "could-not-proceed", ORDINANCE},
    "completed": {"report-result", "correct-step", "disburse", ORDINANCE},
    "result_reported": {"publish", ORDINANCE},
    "published": {ORDINANCE},
    "could_not_proceed": {"publish", ORDINANCE},
}


@pytest.mark.parametrize("state", sorted(LAWFUL_NEXT))
def test_what_a_measure_allows_next_is_exactly_the_law(state: str) -> None:
    assert set(in_state(state).allowed_actions) == LAWFUL_NEXT[state]


def test_an_unreadable_budget_offers_recording_it_and_a_known_one_does_not() -> None:
    assert "record-budget" in fresh(allocation=None).allowed_actions
    assert "record-budget" not in fresh().allowed_actions


def test_an_item_without_budget_is_not_offered_an_ordinance_budget() -> None:
    no_budget = fresh(allocation=None)
    no_budget.record_budget(B, None, "แผนระบุไม่ใช้งบประมาณ", no_budget=True)
    assert ORDINANCE not in no_budget.allowed_actions and ORDINANCE in fresh().allowed_actions
    m = fresh()
    m.record_ordinance_budget(B, 95_000_00, "เทศบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. ๒๕๖๒")
    assert m.ordinance["amount_satang"] == 95_000_00
    with pytest.raises(InvalidInput):
        m.record_ordinance_budget(B, 1, "")


# Each measure command as the aggregate is called, with input that is valid whenever the state is.
CALLS: dict[str, Callable[[Measure], Any]] = {
    "record-budget": lambda m: m.record_budget(B, 1_000, "เทศบัญญัติ"),
    "record-ordinance-budget": lambda m: m.record_ordinance_budget(B, 1_000, "เทศบัญญัติงบประมาณ ๒๕๖๒"),
    "submit": lambda m: m.submit(A, ""),
    "approve": lambda m: m.approve(B, "", BASIS),
    "return": lambda m: m.return_for_revision(B, "แก้", BASIS),
    "start": lambda m: m.start(A, DAY, DAY, ""),
    "complete-step": lambda m: m.complete_step(A, len(m.steps_done) + 1, DAY, DAY, DOC, ""),
    "correct-step": lambda m: m.correct_step(B, 1, DAY, DAY, DOC, "พิมพ์ผิด"),
    "complete": lambda m: m.complete(B, DAY, DAY, ""),
    "disburse": lambda m: m.record_disbursement(A, 100, DAY, DAY, DOC),
    "reverse-disbursement": lambda m: m.reverse_disbursement(B, 1, "ผิด"),
    "report-result": lambda m: m.report_result(B, [{"actual": "ครบ"}], "สรุป"),
    "publish": lambda m: m.publish(B, ""),
    "could-not-proceed": lambda m: m.declare_could_not_proceed(B, "policy_change", ""),
}


def test_every_measure_command_is_called_somewhere_in_this_test() -> None:
    assert set(CALLS) == {c.name for c in MEASURES}


@pytest.mark.parametrize("state", sorted(LAWFUL_NEXT))
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_measure_command_is_refused_exactly_where_the_catalogue_says(state: str, name: str) -> None:
    """The aggregate's own guard reads the catalogue: outside its states (or condition) a command is a 409."""
    m = in_state(state)
    if name == "reverse-disbursement" and Status(m.status) in MEASURES[name].states:
        m.record_disbursement(A, 100, DAY, DAY, DOC)  # something to reverse
    offered = name in {c.name for c in MEASURES.available(m)}
    try:
        CALLS[name](m)
    except InvalidTransition:
        assert not offered, f"{name} is offered in {state} but refused"
        return
    except DomainError as exc:  # a rule of the input, not of the state
        assert offered, f"{name} in {state}: refused with {type(exc).__name__}, not as a state conflict"
        return
    assert offered, f"{name} ran in {state}, which the catalogue does not allow"


@pytest.mark.parametrize("catalogue", [c for c, _, _ in CATALOGUES.values()], ids=list(CATALOGUES))
def test_the_role_check_is_the_catalogues(catalogue: Catalogue) -> None:
    for command in catalogue:
        for role in Role:
            user = SimpleNamespace(role=role)  # the role check reads nothing else
            if role in command.roles:
                catalogue.check_role(user, command.name)
            else:
                with pytest.raises(NotPermitted):
                    catalogue.check_role(user, command.name)
        assert Role.AUDITOR not in command.roles, f"auditors only read: {catalogue.aggregate} {command.name}"


@pytest.mark.parametrize("key", list(CATALOGUES))
def test_every_command_has_a_handler_taking_its_typed_input(key: str) -> None:
    catalogue, service, _ = CATALOGUES[key]
    for command in catalogue:
        handler = getattr(service, command.handler, None)
        assert handler is not None, f"{service.__name__}.{command.handler} is missing"
        parameters = inspect.signature(handler).parameters
        for f in input_fields(command.input):
            assert f.name in parameters, f"{service.__name__}.{command.handler} takes no '{f.name}'"
        assert command.th and command.en and command.states


@pytest.mark.parametrize("key", list(CATALOGUES))
def test_every_command_is_routed_once_and_every_route_is_a_command(key: str) -> None:
    from interface.api.app import create_app

    catalogue, _, prefix = CATALOGUES[key]
    paths = create_app().openapi()["paths"]
    declared = {f"{prefix}/{c.api_path}": c for c in catalogue}
    for path, command in declared.items():
        post = paths.get(path, {}).get("post")
        assert post is not None, f"{path} is not routed"
        assert post["summary"] == f"{command.en} ({command.th})"
        body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert body.lower().startswith(catalogue.aggregate.lower())
    generated = {
        p for p, ops in paths.items() if "post" in ops and ops["post"].get("description", "").startswith("Roles:")
    }
    assert {p for p in generated if p.startswith(prefix + "/")} == set(declared)
    # The web desk serves every catalogue through one route and draws only the forms offered.
    from interface.web.desk import DESKS

    assert catalogue in [d.catalogue for d in DESKS.values()]


def test_labels_are_human_and_routes_are_well_formed() -> None:
    for catalogue, _, _ in CATALOGUES.values():
        for command in catalogue:
            assert re.fullmatch(r"[a-z][a-z-]*", command.name)
            assert re.search(r"[\u0e00-\u0e7f]", command.th), f"{command.name} needs a Thai label"
            for f in input_fields(command.input):
                assert re.search(r"[\u0e00-\u0e7f]", f.th), f"{command.name}.{f.name} needs a Thai label"
