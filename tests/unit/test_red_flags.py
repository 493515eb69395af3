"""Each red-flag rule on a realistic procurement: a notice that raises it, and the near miss that must not.

The procurement is a road in e-bidding with a 1,500,000-baht budget; its reference price is announced,
the invitation runs its days, and the winner notice's bids are what the rules read (domain/red_flags.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.procurement import Procurement, ProcurementRules
from domain.red_flags import RULES, RedFlagSettings

RULES_NOW = ProcurementRules()
MAYOR = {"user_id": "m", "username": "mayor", "role": "executive", "display_name": "นายก"}
CLERK = {"user_id": "c", "username": "clerk", "role": "clerk", "display_name": "เจ้าหน้าที่"}
BASIS = {"kind": "position"}
DAY = date(2019, 6, 3)
OK = "รับทราบ ตรวจสอบแล้ว"


def road(method: str = "e_bidding", budget: int = 1_500_000_00, reference: int | None = 1_460_000_00) -> Procurement:
    p = Procurement("5490101", f"62{uuid4().hex[:8]}", "จ้างก่อสร้างถนน คสล. ชุมชนศรีบุญเรือง", "กองช่าง", budget, 2562,
                    method, "urgent" if method == "specific" else None, None, {}, CLERK)  # fmt: skip
    p.announce_plan(MAYOR, lambda: BASIS, "", DAY - timedelta(days=60), "2019-05")
    if reference is not None:
        p.announce_reference_price(MAYOR, lambda: BASIS, "", DAY - timedelta(days=30), reference, "committee_formula",
                                   RULES_NOW, OK)  # fmt: skip
    return p


def winner(p: Procurement, prices: list[int], agreed: int | None = None, earlier_wins: int = 0) -> list[str]:
    firms = ["หจก.มุกดาก่อสร้าง", "บจก.โขงวิศวกรรม", "หจก.ศรีบุญเรืองการโยธา", "บจก.อินโดจีนซัพพลาย"]
    bidders = [{"name": firms[i], "price_satang": price} for i, price in enumerate(prices)]
    details = {"winner": firms[0], "agreed_satang": prices[0] if agreed is None else agreed, "bidders": bidders}
    return [f.rule for f in p.red_flags_of("winner", details, RULES_NOW, earlier_wins)]


def reference(p: Procurement, price: int) -> list[str]:
    return [f.rule for f in p.red_flags_of("reference_price", {"price_satang": price}, RULES_NOW)]


def invitation(p: Procurement, days: int) -> list[str]:
    details = {"opens_on": DAY - timedelta(days=20), "closes_on": DAY - timedelta(days=20 - days)}
    return [f.rule for f in p.red_flags_of("invitation", details, RULES_NOW)]


CLEAN = [1_400_000_00, 1_445_000_00, 1_455_000_00]  # lowest 4 % under the reference, 3.9 % apart: nothing


def test_a_clean_award_raises_nothing():
    assert winner(road(), CLEAN) == []


@pytest.mark.parametrize(
    ("rule", "raised", "missed"),
    [
        ("reference-above-budget", lambda: reference(road(reference=None), 1_520_000_00),
         lambda: reference(road(reference=None), 1_500_000_00)),
        ("reference-far-below-budget", lambda: reference(road(reference=None), 700_000_00),
         lambda: reference(road(reference=None), 760_000_00)),
        ("short-posting", lambda: invitation(road(), 4), lambda: invitation(road(), 5)),
        ("above-reference-price", lambda: winner(road(), [1_470_000_00, 1_520_000_00, 1_550_000_00]),
         lambda: winner(road(), [1_460_000_00, 1_520_000_00, 1_550_000_00])),
        ("near-reference-price", lambda: winner(road(), [1_450_000_00, 1_490_000_00, 1_520_000_00]),
         lambda: winner(road(), [1_440_000_00, 1_490_000_00, 1_520_000_00])),
        ("abnormally-low-bid", lambda: winner(road(), [1_000_000_00, 1_300_000_00, 1_400_000_00]),
         lambda: winner(road(), [1_030_000_00, 1_300_000_00, 1_400_000_00])),
        ("bids-above-reference", lambda: winner(road(), [1_400_000_00, 1_440_000_00, 1_480_000_00]),
         lambda: winner(road(), CLEAN)),
        ("single-bidder", lambda: winner(road(), [1_400_000_00]),
         lambda: winner(road("specific", budget=450_000_00, reference=440_000_00), [430_000_00])),
        ("few-bidders", lambda: winner(road(), [1_400_000_00, 1_445_000_00]), lambda: winner(road(), CLEAN)),
        ("identical-bids", lambda: winner(road(), [1_400_000_00, 1_445_000_00, 1_445_000_00]),
         lambda: winner(road(), CLEAN)),
        ("clustered-bids", lambda: winner(road(), [1_400_000_00, 1_410_000_00, 1_420_000_00]),
         lambda: winner(road(), [1_400_000_00, 1_420_000_00, 1_445_000_00])),
        ("repeat-winner", lambda: winner(road(), CLEAN, earlier_wins=2), lambda: winner(road(), CLEAN, earlier_wins=1)),
    ],
)  # fmt: skip
def test_each_rule_raises_on_its_pattern_and_not_on_the_near_miss(rule, raised, missed):
    assert rule in raised()
    assert rule not in missed()


def test_every_rule_is_tested_above_and_named_versioned_and_titled_in_both_languages():
    tested = {"reference-above-budget", "reference-far-below-budget", "short-posting", "above-reference-price",
              "near-reference-price", "abnormally-low-bid", "bids-above-reference", "single-bidder", "few-bidders",
              "identical-bids", "clustered-bids", "repeat-winner"}  # fmt: skip
    assert {r.code for r in RULES} == tested
    assert all(r.version >= 1 and r.title_th and r.title_en for r in RULES)


def test_thresholds_are_settings():
    strict = ProcurementRules(flags=RedFlagSettings(near_reference_ratio=0.95, min_bidders=4))
    p = road()
    details = {"winner": "ก", "agreed_satang": 1_400_000_00,
               "bidders": [{"name": n, "price_satang": v} for n, v in zip("กขค", CLEAN, strict=True)]}  # fmt: skip
    assert [f.rule for f in p.red_flags_of("winner", details, strict)] == ["near-reference-price", "few-bidders"]
    flag = p.red_flags_of("winner", details, strict)[0]
    assert flag.numbers == {"agreed_satang": 1_400_000_00, "reference_satang": 1_460_000_00, "share": 0.9589,
                            "threshold": 0.95}  # fmt: skip
    assert "ร้อยละ 95.9" in flag.message_th and "95.9%" in flag.message_en


def test_the_deployment_sets_the_thresholds_from_its_settings():
    from infrastructure.bootstrap import red_flag_settings
    from infrastructure.settings import Settings

    assert red_flag_settings(Settings()) == RedFlagSettings()
    chosen = red_flag_settings(Settings(red_flag_near_reference_ratio=0.97, red_flag_min_bidders=5))
    assert (chosen.near_reference_ratio, chosen.min_bidders, chosen.cluster_spread) == (0.97, 5, 0.02)
