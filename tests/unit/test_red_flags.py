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


def tax_id_of(first12: str) -> str:
    """A valid 13-digit tax id from its first 12 digits (the check digit computed as the Revenue Department does)."""
    return first12 + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10)


FIRMS = ["หจก.มุกดาก่อสร้าง", "บจก.โขงวิศวกรรม", "หจก.ศรีบุญเรืองการโยธา", "บจก.อินโดจีนซัพพลาย"]
TAX_IDS = [tax_id_of(f"04935{n:07d}") for n in (1001, 1002, 1003, 1004)]


def winner(p: Procurement, prices: list[int], agreed: int | None = None, earlier_wins: int = 0,
           tax_ids: list[str] | None = None, facts: tuple = ({}, {})) -> list[str]:  # fmt: skip
    bidders = [{"name": FIRMS[i], "price_satang": price, "tax_id": (tax_ids or TAX_IDS)[i]}
               for i, price in enumerate(prices)]  # fmt: skip
    details = p.winner_details(FIRMS[0], prices[0] if agreed is None else agreed, bidders, "ราคาต่ำสุด")
    return [f.rule for f in p.red_flags_of("winner", details, RULES_NOW, earlier_wins, facts)]


def firms(**shared: str) -> dict[str, dict]:
    """Company facts for the four firms; ``shared`` gives the second firm the first's address or director."""
    facts = {t: {"tax_id": t, "name": FIRMS[i], "address": f"addr-{i}", "directors": [f"dir-{i}"]}
             for i, t in enumerate(TAX_IDS)}  # fmt: skip
    if "address" in shared:
        facts[TAX_IDS[1]]["address"] = "addr-0"
    if "director" in shared:
        facts[TAX_IDS[1]]["directors"] = ["dir-9", "dir-0"]
    return facts


DEBARRED = {
    TAX_IDS[2]: {"tax_id": TAX_IDS[2], "name": FIRMS[2], "listed_on": "2018-11-20", "reference": "กค 0405.2/ว 99"}
}


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
        ("linked-bidders", lambda: winner(road(), CLEAN, tax_ids=[TAX_IDS[0], TAX_IDS[0], TAX_IDS[2]]),
         lambda: winner(road(), CLEAN, facts=(firms(), {}))),
        ("linked-bidders", lambda: winner(road(), CLEAN, facts=(firms(address="same"), {})),
         lambda: winner(road(), CLEAN, facts=(firms(), {}))),
        ("linked-bidders", lambda: winner(road(), CLEAN, facts=(firms(director="same"), {})),
         lambda: winner(road(), CLEAN, facts=(firms(), {}))),
        ("debarred-bidder", lambda: winner(road(), CLEAN, facts=({}, DEBARRED)),
         lambda: winner(road(), CLEAN, tax_ids=[TAX_IDS[0], TAX_IDS[1], TAX_IDS[3]], facts=({}, DEBARRED))),
    ],
)  # fmt: skip
def test_each_rule_raises_on_its_pattern_and_not_on_the_near_miss(rule, raised, missed):
    assert rule in raised()
    assert rule not in missed()


def test_every_rule_is_tested_above_and_named_versioned_and_titled_in_both_languages():
    tested = {"reference-above-budget", "reference-far-below-budget", "short-posting", "above-reference-price",
              "near-reference-price", "abnormally-low-bid", "bids-above-reference", "single-bidder", "few-bidders",
              "identical-bids", "clustered-bids", "repeat-winner", "linked-bidders", "debarred-bidder"}  # fmt: skip
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


def test_a_linked_pair_names_both_bidders_and_every_link_between_them():
    p = road()
    details = p.winner_details(FIRMS[0], CLEAN[0], [{"name": FIRMS[i], "price_satang": v, "tax_id": TAX_IDS[i]}
                                                    for i, v in enumerate(CLEAN)], "ราคาต่ำสุด")  # fmt: skip
    [flag] = p.red_flags_of("winner", details, RULES_NOW, 0, (firms(address="x", director="x"), {}))
    assert flag.numbers == {"links": [{"bidders": [FIRMS[0], FIRMS[1]], "by": ["address", "director"]}]}
    assert "ที่อยู่เดียวกัน, มีกรรมการร่วมกัน" in flag.message_th and "a director in common" in flag.message_en


def test_a_bid_without_a_tax_id_is_matched_to_the_debarment_list_by_name_and_says_so():
    from domain.suppliers import SupplierRegister

    register = SupplierRegister(org_code="5490101", actor=CLERK)
    register.import_list(CLERK, "debarments", {"file_name": "list.csv"}, list(DEBARRED.values()))
    p = road()
    bids = [{"name": "ห้างหุ้นส่วนจำกัด ศรีบุญเรืองการโยธา", "price_satang": CLEAN[0]},
            {"name": FIRMS[1], "price_satang": CLEAN[1], "tax_id": TAX_IDS[1]}]  # fmt: skip
    details = p.winner_details(bids[0]["name"], CLEAN[0], bids, "ราคาต่ำสุด")
    [debarred] = [f for f in p.red_flags_of("winner", details, RULES_NOW, 0, register.facts())
                  if f.rule == "debarred-bidder"]  # fmt: skip
    assert debarred.numbers["bidders"] == [{"bidder": bids[0]["name"], "tax_id": None, "by": "name",
                                           "listed_on": "2018-11-20", "reference": "กค 0405.2/ว 99"}]  # fmt: skip
    assert "๒๐ พฤศจิกายน ๒๕๖๑" in debarred.message_th


def test_a_tax_id_with_a_wrong_check_digit_is_refused_with_the_bidders_name():
    from domain.errors import InvalidInput

    wrong = TAX_IDS[0][:12] + str((int(TAX_IDS[0][12]) + 1) % 10)
    with pytest.raises(InvalidInput) as refused:
        road().winner_details(FIRMS[0], 1, [{"name": FIRMS[0], "price_satang": 1, "tax_id": wrong}], "ราคาต่ำสุด")
    assert FIRMS[0] in refused.value.th and wrong in refused.value.en
