"""Domain rules and helpers that need no store."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from domain.errors import InvalidInput, InvalidTransition
from domain.measure import Measure, Status, check_evidence
from domain.people import SYSTEM_ACTOR
from domain.thai import fiscal_year_bounds, fiscal_year_of, to_arabic_digits, to_thai_digits
from infrastructure.event_store import store_env


def a_measure(steps: int = 2) -> Measure:
    return Measure(
        org_code="5490101",
        plan_key="2562-2564",
        code="9.9.9",
        fiscal_year=2562,
        details={"name": "ทดสอบ", "steps": [f"ขั้น {i}" for i in range(steps)], "kpis": ["k"]},
        allocation_satang=100_00,
        actor=SYSTEM_ACTOR,
    )


def test_fiscal_years_are_named_by_the_be_year_they_end_in():
    assert fiscal_year_of(date(2018, 10, 1)) == 2562
    assert fiscal_year_of(date(2019, 9, 30)) == 2562
    assert fiscal_year_bounds(2562) == (date(2018, 10, 1), date(2019, 9, 30))
    assert to_arabic_digits("๒๕62") == "2562" and to_thai_digits("2562") == "๒๕๖๒"


def test_ids_are_deterministic_per_org_plan_item_and_year():
    assert a_measure().id == Measure.create_id("5490101", "2562-2564", "9.9.9", 2562)
    assert Measure.create_id("5490101", "2562-2564", "9.9.9", 2563) != a_measure().id


def test_a_refused_command_leaves_no_pending_event():
    m = a_measure()
    with pytest.raises(InvalidTransition):
        m.approve(SYSTEM_ACTOR, "", {})
    with pytest.raises(InvalidInput):
        m.declare_could_not_proceed(SYSTEM_ACTOR, "other", "   ")
    assert len(m.collect_events()) == 1 and m.status is Status.PLANNED


def test_copies_from_the_cache_do_not_share_mutable_state():
    m = a_measure()
    m.submit(SYSTEM_ACTOR, "")
    m.approve({**SYSTEM_ACTOR, "username": "mayor"}, "", {"kind": "position"})
    m.start(SYSTEM_ACTOR, date(2019, 1, 1), date(2019, 6, 1), "")
    clone = copy.deepcopy(m)
    clone.complete_step(SYSTEM_ACTOR, 1, date(2019, 2, 1), date(2019, 6, 1), {"title": "t", "link": "http://a"}, "")
    assert 1 in clone.steps_done and 1 not in m.steps_done
    assert clone.details is m.details  # replaced whole by events, never mutated: safe to share
    assert len(clone.collect_events()) == len(m.collect_events()) + 1


@pytest.mark.parametrize(
    "evidence",
    [{}, {"title": "t"}, {"title": "t", "link": "ftp://x"}, {"number": "1", "sha256": "xyz"}],
)
def test_evidence_needs_a_document_and_a_link_or_hash(evidence):
    with pytest.raises(InvalidInput):
        check_evidence(evidence)


def test_database_url_picks_the_store(tmp_path):
    assert store_env(f"sqlite:///{tmp_path}/a.db")["SQLITE_DBNAME"] == f"{tmp_path}/a.db"
    pg = store_env("postgresql://u:p%40ss@db.local:6543/prongsai?schema=s1")
    assert pg["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (pg["POSTGRES_HOST"], pg["POSTGRES_PORT"], pg["POSTGRES_PASSWORD"]) == ("db.local", "6543", "p@ss")
    assert pg["POSTGRES_SCHEMA"] == "s1"
    with pytest.raises(InvalidInput):
        store_env("mysql://x")


def test_a_clerks_corrections_change_only_what_they_name() -> None:
    from pathlib import Path

    from domain.errors import InvalidInput
    from domain.plan import Correction
    from infrastructure.plan_parser import parse_plan

    seed = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_84f9b3d3dee21d4b.txt"
    doc = parse_plan(seed.read_text(encoding="utf-8"))
    before = next(m for m in doc.measures if m.code == "2.4.1")
    fixed = doc.corrected([
        Correction("2.4.1", "objectives", "", "เพื่อยกย่องบุคคลตัวอย่าง\nเพื่อสร้างแรงจูงใจ", before.line, "อ่านผิด"),
        Correction("2.4.1", "budget:2563", "", "๕,๐๐๐", before.line, "ตามข้อบัญญัติ"),
    ])  # fmt: skip
    after = next(m for m in fixed.measures if m.code == "2.4.1")
    assert after.objectives == ["เพื่อยกย่องบุคคลตัวอย่าง", "เพื่อสร้างแรงจูงใจ"]
    assert after.budgets["2563"] == 5000 and not after.no_budget
    assert after.targets == before.targets and before.budgets != after.budgets  # the read plan is untouched
    for wrong in (Correction("2.4.1", "code", "", "9.9", 1, "x"), Correction("9.9", "name", "", "x", 1, "x")):
        with pytest.raises(InvalidInput):
            doc.corrected([wrong])
