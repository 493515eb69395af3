"""A generated fiscal year with one planted pattern per red-flag rule (bench/red_flag_year.py) raises
exactly the planted flags, on the procurements planted; an ordinary year raises none; rebuilding the
register from the log gives it back unchanged."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bench.red_flag_year import planted_year
from domain.clock import BANGKOK
from domain.red_flags import RULE_TITLES
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import ORG, test_settings

pytestmark = pytest.mark.store


@pytest.fixture
def before_the_year(store_url: str, tmp_path: Path):
    svc = bootstrap(test_settings(store_url, tmp_path), clock=ManualClock(datetime(2018, 9, 20, 9, tzinfo=BANGKOK)))
    svc.organisations.register(ORG, "เทศบาลเมืองมุกดาหาร")
    try:
        yield svc
    finally:
        svc.close()


def test_a_year_with_planted_patterns_raises_exactly_the_planted_flags_where_they_were_planted(before_the_year):
    svc = before_the_year
    year, flags, refused = planted_year(svc, ORG)
    assert refused == []
    assert set(year.planted) == set(RULE_TITLES)  # every rule planted at least once
    assert Counter(f["rule"] for f in flags) == year.planted
    assert all(f["project_no"] in year.where[f["rule"]] for f in flags)
    assert {f["source"] for f in flags if f["rule"] in {"contract-splitting", "co-bidding", "year-end-specific"}} == {
        "pattern"}  # fmt: skip
    splitting = next(f for f in flags if f["rule"] == "contract-splitting")
    assert splitting["numbers"]["total_satang"] == 600_000_00 and len(splitting["numbers"]["procurements"]) == 3
    assert splitting["evidence"]["ocds_release_id"] == f"{splitting['project_no']}-03"  # plan, reference, winner
    debarred = next(f for f in flags if f["rule"] == "debarred-bidder")
    assert debarred["numbers"]["bidders"][0]["listed_on"] == "2018-09-20" and debarred["acknowledgement"]

    # Cardinal's coverage of the published OCDS beside Prongsai's counts: only the posting period is there to
    # compute from; the bid-level indicators need bids the releases do not carry
    beside = {i["indicator"]: i for i in svc.cardinal.readiness([ORG], 2562)["indicators"]}
    assert [code for code, i in beside.items() if i["computable"]] == ["R003"]
    assert beside["R003"]["fields"]["/tender/tenderPeriod/startDate"] == sum(
        1 for p in svc.procurements.list(ORG) if p.invitation)  # fmt: skip
    assert "/bids/details[]/value/amount" in beside["R028"]["missing"]
    assert {r["rule"]: r["raised"] for i in beside.values() for r in i["rules"]} == {
        r: year.planted[r] for i in beside.values() for r in (x["rule"] for x in i["rules"])}  # fmt: skip

    for name in ("red_flags", "red_flag_patterns"):  # rebuilt from zero: the same register
        svc.projections.rebuild(name)
    assert svc.oversight.red_flags([ORG], limit=100_000) == flags


def test_an_ordinary_year_raises_nothing(before_the_year):
    year, flags, refused = planted_year(before_the_year, ORG, background=60, plants=False)
    assert refused == [] and sum(year.planted.values()) == 0
    assert flags == []
