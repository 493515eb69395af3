"""Procurement red flags: named, versioned rules run the moment a notice is issued.

Each rule looks at what the notice says (the bids of a winner notice, the price of a reference-price
notice, the dates of an invitation) beside what the procurement already recorded, and raises a flag
that names the rule and its version, the numbers it saw and the notice. A flag never blocks a lawful
act: the signer sees the flags before signing and records a note acknowledging them, and both are
kept in the log (``RedFlagRaised``). Thresholds are settings (:class:`RedFlagSettings`).

The indicators follow what Thailand's procurement watchdogs check after the fact (ACT Ai's bidding and
agency indicators) and the Open Contracting Partnership's red flags for integrity. Here they run on the
notice as it is issued, not on data scraped later.

A contract above the winning bid is not a flag here: the domain refuses it (``sign_contract``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class RedFlagSettings:
    """The rules' thresholds (``PRONGSAI_RED_FLAG_*``)."""

    near_reference_ratio: float = 0.99  # a winning bid at or above 99 % of the reference price
    abnormally_low_ratio: float = 0.70  # a winning bid below 70 % of the reference price
    cluster_spread: float = 0.02  # three or more bids within 2 % of the lowest
    min_bidders: int = 3  # fewer competing bids than this (two; one has its own rule)
    reference_above_budget_ratio: float = 1.0  # a reference price above the budget
    reference_below_budget_ratio: float = 0.5  # a reference price under half the budget
    repeat_winner_threshold: int = 3  # wins for one unit in one fiscal year


@dataclass(frozen=True)
class Flag:
    rule: str
    version: int
    numbers: dict[str, Any]
    message_th: str
    message_en: str

    def as_dict(self, notice: int) -> dict[str, Any]:
        return {"rule": self.rule, "version": self.version, "numbers": self.numbers, "notices": [notice],
                "message_th": self.message_th, "message_en": self.message_en}  # fmt: skip


@dataclass(frozen=True)
class Seen:
    """What a rule may look at: the notice being issued and the procurement as recorded before it."""

    kind: str
    details: dict[str, Any]
    method: str
    budget_satang: int
    reference_satang: int | None
    unit: str
    earlier_wins_for_unit: int = 0
    minimum_posting_days: int = 0


@dataclass(frozen=True)
class Rule:
    code: str
    version: int
    kind: str  # the notice it runs on
    title_th: str
    title_en: str
    check: Callable[[Seen, RedFlagSettings], Flag | None]


def baht(satang: int) -> str:
    return f"{satang / 100:,.2f}"


def percent_th(share: float, digits: int) -> str:
    return f"ร้อยละ {share * 100:,.{digits}f}"


def share_numbers(agreed: int, reference: int, threshold: float) -> dict[str, Any]:
    """What a rule on the winning price's share of the reference price saw."""
    return {"agreed_satang": agreed, "reference_satang": reference, "share": round(agreed / reference, 4),
            "threshold": threshold}  # fmt: skip


def bids(seen: Seen) -> list[int]:
    return [int(b["price_satang"]) for b in seen.details.get("bidders", [])]


def _above_reference(seen: Seen, s: RedFlagSettings) -> Flag | None:
    agreed, reference = seen.details["agreed_satang"], seen.reference_satang
    if reference is None or agreed <= reference:
        return None
    return Flag("above-reference-price", 1, {"agreed_satang": agreed, "reference_satang": reference},
                f"ราคาที่ตกลงสูงกว่าราคากลาง ({baht(agreed)} > {baht(reference)} บาท)",
                f"agreed price above the reference price ({baht(agreed)} > {baht(reference)} baht)")  # fmt: skip


def _near_reference(seen: Seen, s: RedFlagSettings) -> Flag | None:
    agreed, reference = seen.details["agreed_satang"], seen.reference_satang
    if reference is None or seen.method == "specific" or not s.near_reference_ratio * reference <= agreed <= reference:
        return None
    share = agreed / reference
    return Flag("near-reference-price", 1, share_numbers(agreed, reference, s.near_reference_ratio),
                f"ราคาที่ชนะใกล้ราคากลางมาก ({percent_th(share, 1)} ของราคากลาง)",
                f"the winning price is very close to the reference price ({share:.1%} of it)")  # fmt: skip


def _single_bidder(seen: Seen, s: RedFlagSettings) -> Flag | None:
    if seen.method == "specific" or len(bids(seen)) != 1:  # the specific method deals with one firm by law
        return None
    return Flag("single-bidder", 1, {"bidders": 1}, "มีผู้เสนอราคาเพียงรายเดียว", "only one bidder")


def _few_bidders(seen: Seen, s: RedFlagSettings) -> Flag | None:
    n = len(bids(seen))
    if seen.method == "specific" or not 1 < n < s.min_bidders:
        return None
    return Flag("few-bidders", 1, {"bidders": n, "minimum": s.min_bidders},
                f"มีผู้เสนอราคา {n} ราย น้อยกว่า {s.min_bidders} ราย",
                f"{n} bidders, fewer than {s.min_bidders}")  # fmt: skip


def _identical_bids(seen: Seen, s: RedFlagSettings) -> Flag | None:
    prices = bids(seen)
    same = sorted({p for p in prices if prices.count(p) > 1})
    if not same:
        return None
    names = [b["name"] for b in seen.details["bidders"] if int(b["price_satang"]) in same]
    return Flag("identical-bids", 1, {"prices_satang": same, "bidders": names},
                f"ผู้เสนอราคา {len(names)} รายเสนอราคาเท่ากัน ({', '.join(baht(p) for p in same)} บาท)",
                f"{len(names)} bidders bid the same price ({', '.join(baht(p) for p in same)} baht)")  # fmt: skip


def _clustered_bids(seen: Seen, s: RedFlagSettings) -> Flag | None:
    prices = bids(seen)
    if len(prices) < 3 or len(set(prices)) < 2:  # identical bids have their own rule
        return None
    spread = (max(prices) - min(prices)) / min(prices)
    if spread > s.cluster_spread:
        return None
    numbers = {"bidders": len(prices), "spread": round(spread, 4), "threshold": s.cluster_spread}
    return Flag("clustered-bids", 1, numbers, f"ราคาเสนอ {len(prices)} รายห่างกันเพียง{percent_th(spread, 2)}",
                f"{len(prices)} bids lie within {spread:.2%} of each other")  # fmt: skip


def _abnormally_low(seen: Seen, s: RedFlagSettings) -> Flag | None:
    agreed, reference = seen.details["agreed_satang"], seen.reference_satang
    if reference is None or agreed >= s.abnormally_low_ratio * reference:
        return None
    share = agreed / reference
    return Flag("abnormally-low-bid", 1, share_numbers(agreed, reference, s.abnormally_low_ratio),
                f"ราคาที่ชนะต่ำผิดปกติ ({percent_th(share, 0)} ของราคากลาง)",
                f"abnormally low winning price ({share:.0%} of the reference price)")  # fmt: skip


def _bids_above_reference(seen: Seen, s: RedFlagSettings) -> Flag | None:
    reference = seen.reference_satang
    if reference is None:
        return None
    above = [b["name"] for b in seen.details.get("bidders", [])
             if int(b["price_satang"]) > reference and b["name"] != seen.details["winner"]]  # fmt: skip
    if not above:
        return None
    return Flag("bids-above-reference", 1, {"bidders": above, "reference_satang": reference},
                f"ผู้เสนอราคา {len(above)} รายเสนอสูงกว่าราคากลาง ({', '.join(above)})",
                f"{len(above)} losing bids above the reference price ({', '.join(above)})")  # fmt: skip


def _repeat_winner(seen: Seen, s: RedFlagSettings) -> Flag | None:
    wins = seen.earlier_wins_for_unit + 1
    if wins < s.repeat_winner_threshold:
        return None
    winner = seen.details["winner"]
    return Flag("repeat-winner", 1, {"winner": winner, "wins": wins, "threshold": s.repeat_winner_threshold},
                f"'{winner}' ชนะการจัดซื้อจัดจ้างของ {seen.unit} เป็นครั้งที่ {wins} ในปีงบประมาณนี้",
                f"'{winner}' has won {wins} procurements of {seen.unit} this fiscal year")  # fmt: skip


def _reference_above_budget(seen: Seen, s: RedFlagSettings) -> Flag | None:
    price, budget = seen.details["price_satang"], seen.budget_satang
    if price <= s.reference_above_budget_ratio * budget:
        return None
    return Flag("reference-above-budget", 1, {"reference_satang": price, "budget_satang": budget},
                f"ราคากลางสูงกว่างบประมาณ ({baht(price)} > {baht(budget)} บาท)",
                f"the reference price is above the budget ({baht(price)} > {baht(budget)} baht)")  # fmt: skip


def _reference_far_below_budget(seen: Seen, s: RedFlagSettings) -> Flag | None:
    price, budget = seen.details["price_satang"], seen.budget_satang
    if price >= s.reference_below_budget_ratio * budget:
        return None
    share = price / budget
    numbers = {
        "reference_satang": price,
        "budget_satang": budget,
        "share": round(share, 4),
        "threshold": s.reference_below_budget_ratio,
    }
    return Flag("reference-far-below-budget", 1, numbers,
                f"ราคากลางต่ำกว่างบประมาณมาก ({percent_th(share, 0)} ของงบประมาณ)",
                f"the reference price is far below the budget ({share:.0%} of it)")  # fmt: skip


def _short_posting(seen: Seen, s: RedFlagSettings) -> Flag | None:
    opens, closes = seen.details["opens_on"], seen.details["closes_on"]
    days = (date.fromisoformat(str(closes)) - date.fromisoformat(str(opens))).days
    if days >= seen.minimum_posting_days:
        return None
    return Flag("short-posting", 1, {"days": days, "minimum": seen.minimum_posting_days},
                f"ระยะเวลาประกาศเชิญชวน {days} วัน น้อยกว่าขั้นต่ำ {seen.minimum_posting_days} วัน",
                f"the invitation was open {days} days, less than the minimum {seen.minimum_posting_days}")  # fmt: skip


RULES: tuple[Rule, ...] = (
    Rule("reference-above-budget", 1, "reference_price", "ราคากลางสูงกว่างบประมาณ", "Reference price above the budget",
         _reference_above_budget),
    Rule("reference-far-below-budget", 1, "reference_price", "ราคากลางต่ำกว่างบประมาณมาก",
         "Reference price far below the budget", _reference_far_below_budget),
    Rule("short-posting", 1, "invitation", "ระยะเวลาประกาศเชิญชวนสั้นกว่ากำหนด", "Posting period too short",
         _short_posting),
    Rule("above-reference-price", 1, "winner", "ราคาที่ตกลงสูงกว่าราคากลาง", "Winning price above the reference price",
         _above_reference),
    Rule("near-reference-price", 1, "winner", "ราคาที่ชนะใกล้ราคากลางมาก", "Winning price very close to the reference",
         _near_reference),
    Rule("abnormally-low-bid", 1, "winner", "ราคาที่ชนะต่ำผิดปกติ", "Abnormally low winning price", _abnormally_low),
    Rule("bids-above-reference", 1, "winner", "ผู้เสนอราคาเสนอสูงกว่าราคากลาง", "Bids above the reference price",
         _bids_above_reference),
    Rule("single-bidder", 1, "winner", "ผู้เสนอราคารายเดียว", "Single bidder", _single_bidder),
    Rule("few-bidders", 1, "winner", "ผู้เสนอราคาน้อยราย", "Fewer than three bidders", _few_bidders),
    Rule("identical-bids", 1, "winner", "ราคาเสนอเท่ากัน", "Identical bids", _identical_bids),
    Rule("clustered-bids", 1, "winner", "ราคาเสนอใกล้เคียงกันผิดปกติ", "Clustered bids", _clustered_bids),
    Rule("repeat-winner", 1, "winner", "ผู้ชนะรายเดิมซ้ำในหน่วยงานเดียว", "Repeat winner for one unit", _repeat_winner),
)  # fmt: skip
RULE_TITLES = {r.code: (r.title_th, r.title_en) for r in RULES}


def evaluate(seen: Seen, settings: RedFlagSettings) -> list[Flag]:
    """Every flag the notice raises, in the rules' order."""
    return [flag for rule in RULES if rule.kind == seen.kind if (flag := rule.check(seen, settings)) is not None]
