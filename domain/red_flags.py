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

Two kinds of rule:

- **notice rules** (:data:`RULES`) read one notice and its procurement, and the organisation's imported
  facts about firms (tax ids, addresses, directors, the debarment list ผู้ทิ้งงาน): they run as the notice
  is signed, and what they raise is an event.
- **pattern rules** (:data:`PATTERNS`) read one award beside the organisation's earlier awards of the
  fiscal year: contract splitting, firms bidding together again and again, specific-method purchases
  crowded into the year's last months. A projection runs them as winner notices arrive, in the log's
  order, so running it again from zero raises the same flags (infrastructure/projections.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from domain.thai import fiscal_year_bounds, thai_date


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
    splitting_threshold_satang: int = 500_000_00  # the specific method's ceiling: each under it, together over
    splitting_window_days: int = 30  # awards of one unit this close in time
    splitting_similarity: float = 0.6  # subjects this alike (shared character pairs, 0–1)
    co_bidding_threshold: int = 3  # the same firms bidding together this often in one fiscal year
    year_end_months: int = 3  # the fiscal year's last months (July–September)
    year_end_share: float = 0.5  # share of the year's specific-method value awarded in them
    year_end_min_purchases: int = 5  # and at least this many purchases there


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
    # The organisation's imported facts (domain/suppliers.py), by tax id: a firm's name, address digest and
    # directors' digests; the debarment list by tax id and by ``name:`` + normalised name.
    firms: dict[str, dict[str, Any]] = field(default_factory=dict)
    debarred: dict[str, dict[str, Any]] = field(default_factory=dict)


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


PUNCTUATION = r"[\s.,;:()\[\]/\\'\"&_\-–—]+"  # not \W: it would take Thai vowel and tone marks too


def firm_name(name: str) -> str:
    """A firm's name compared across lists: the legal form's words (บริษัท, จำกัด, ห้างหุ้นส่วน …) and
    spacing and punctuation set aside."""
    text = unicodedata.normalize("NFC", name).lower()
    for word in ("ห้างหุ้นส่วนจำกัด", "ห้างหุ้นส่วนสามัญ", "บริษัท", "จำกัด", "(มหาชน)", "มหาชน", "หจก.", "บจก.", "บมจ.",
                 "company limited", "co., ltd.", "co.,ltd.", "ltd.", "limited", "ร้าน"):  # fmt: skip
        text = text.replace(word, " ")
    return re.sub(PUNCTUATION, "", text)


def firm_key(bidder: dict[str, Any]) -> str:
    """Who a bid is from: the tax id where the notice gives one, else the firm's name."""
    tax_id = str(bidder.get("tax_id") or "").strip()
    return tax_id or "name:" + firm_name(str(bidder["name"]))


LINK_THAI = {"tax_id": "เลขประจำตัวผู้เสียภาษีเดียวกัน", "address": "ที่อยู่เดียวกัน", "director": "มีกรรมการร่วมกัน"}
LINK_EN = {"tax_id": "the same tax id", "address": "the same address", "director": "a director in common"}


def _linked_bidders(seen: Seen, s: RedFlagSettings) -> Flag | None:
    links = []
    for a, b in combinations(seen.details.get("bidders", []), 2):
        ta, tb = str(a.get("tax_id") or ""), str(b.get("tax_id") or "")
        by = []
        if ta and ta == tb:
            by.append("tax_id")
        fa, fb = seen.firms.get(ta), seen.firms.get(tb)
        if fa and fb and ta != tb:
            if fa.get("address") and fa["address"] == fb.get("address"):
                by.append("address")
            if set(fa.get("directors", ())) & set(fb.get("directors", ())):
                by.append("director")
        if by:
            links.append({"bidders": [a["name"], b["name"]], "by": by})
    if not links:
        return None
    th = "; ".join(
        f"{x['bidders'][0]} กับ {x['bidders'][1]} ({', '.join(LINK_THAI[b] for b in x['by'])})" for x in links
    )
    en = "; ".join(f"{x['bidders'][0]} and {x['bidders'][1]} ({', '.join(LINK_EN[b] for b in x['by'])})" for x in links)
    return Flag("linked-bidders", 1, {"links": links}, f"ผู้เสนอราคาที่แข่งขันกันมีความเชื่อมโยงกัน: {th}",
                f"competing bidders are linked: {en}")  # fmt: skip


def _debarred_bidder(seen: Seen, s: RedFlagSettings) -> Flag | None:
    found = []
    for b in seen.details.get("bidders", []):
        tax_id = str(b.get("tax_id") or "")
        entry = seen.debarred.get(tax_id) if tax_id else seen.debarred.get("name:" + firm_name(str(b["name"])))
        if entry:
            found.append({"bidder": b["name"], "tax_id": tax_id or None, "by": "tax_id" if tax_id else "name",
                          "listed_on": entry.get("listed_on"), "reference": entry.get("reference", "")})  # fmt: skip
    if not found:
        return None

    def when(f: dict[str, Any]) -> str:
        return f" (ประกาศ {thai_date(date.fromisoformat(f['listed_on']))})" if f["listed_on"] else ""

    th = ", ".join(f"{f['bidder']}{when(f)}" for f in found)
    en = ", ".join(f"{f['bidder']}" + (f" (listed {f['listed_on']})" if f["listed_on"] else "") for f in found)
    return Flag("debarred-bidder", 1, {"bidders": found}, f"ผู้เสนอราคาอยู่ในบัญชีรายชื่อผู้ทิ้งงาน: {th}",
                f"a bidder is on the debarment list: {en}")  # fmt: skip


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
    Rule("linked-bidders", 1, "winner", "ผู้เสนอราคาที่แข่งขันกันมีความเชื่อมโยงกัน", "Competing bidders are linked",
         _linked_bidders),
    Rule("debarred-bidder", 1, "winner", "ผู้เสนอราคาอยู่ในบัญชีผู้ทิ้งงาน", "Bidder on the debarment list",
         _debarred_bidder),
)  # fmt: skip


def evaluate(seen: Seen, settings: RedFlagSettings) -> list[Flag]:
    """Every flag the notice raises, in the rules' order."""
    return [flag for rule in RULES if rule.kind == seen.kind if (flag := rule.check(seen, settings)) is not None]


# -- pattern rules: one award beside the organisation's earlier awards of the fiscal year ------------------


@dataclass(frozen=True)
class Award:
    """A winner notice as the pattern rules see it."""

    procurement_id: str
    project_no: str
    unit: str
    fiscal_year: int
    method: str
    subject: str
    budget_satang: int
    agreed_satang: int
    awarded_on: date
    notice: int
    firms: tuple[str, ...]  # firm_key of each bidder
    names: tuple[str, ...]  # their names, in the same order


@dataclass(frozen=True)
class Pattern:
    code: str
    version: int
    title_th: str
    title_en: str
    check: Callable[[Award, Sequence[Award], RedFlagSettings, frozenset[str]], Flag | None]


SUBJECT_NOISE = re.compile(r"[\d๐-๙]+|" + PUNCTUATION + "|ครั้งที่|งวดที่|ประจำเดือน|เดือน|โครงการ|จัดซื้อ|จัดจ้าง|ซื้อ|จ้าง(?:เหมา)?")


def similarity(a: str, b: str) -> float:
    """How alike two subjects are (0–1): the Dice coefficient of their character pairs once numbers,
    punctuation and the words every purchase shares (จัดซื้อ, จ้างเหมา, ครั้งที่ …) are set aside. Thai runs
    words together, so pairs of characters compare better than words here."""

    def pairs(text: str) -> set[str]:
        core = SUBJECT_NOISE.sub("", unicodedata.normalize("NFC", text).lower())
        return {core[i : i + 2] for i in range(len(core) - 1)}

    x, y = pairs(a), pairs(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _splitting(new: Award, earlier: Sequence[Award], s: RedFlagSettings, raised: frozenset[str]) -> Flag | None:
    ceiling = s.splitting_threshold_satang
    if new.budget_satang > ceiling:
        return None
    near = [a for a in earlier if a.unit == new.unit and a.budget_satang <= ceiling
            and abs((new.awarded_on - a.awarded_on).days) <= s.splitting_window_days
            and similarity(a.subject, new.subject) >= s.splitting_similarity]  # fmt: skip
    group = [*near, new]
    total = sum(a.budget_satang for a in group)
    if len(group) < 2 or total <= ceiling:
        return None
    numbers = {"procurements": [a.project_no for a in group], "total_satang": total, "threshold_satang": ceiling,
               "window_days": s.splitting_window_days, "unit": new.unit}  # fmt: skip
    return Flag("contract-splitting", 1, numbers,
                f"{new.unit} จัดหาเรื่องคล้ายกัน {len(group)} ครั้งภายใน {s.splitting_window_days} วัน แต่ละครั้งไม่เกิน "
                f"{baht(ceiling)} บาท รวม {baht(total)} บาท (อาจแบ่งซื้อแบ่งจ้าง)",
                f"{new.unit} bought similar things {len(group)} times within {s.splitting_window_days} days, each "
                f"under {baht(ceiling)} baht, together {baht(total)} baht (possible contract splitting)")  # fmt: skip


def _co_bidding(new: Award, earlier: Sequence[Award], s: RedFlagSettings, raised: frozenset[str]) -> Flag | None:
    firms = sorted(set(new.firms))
    together: dict[tuple[str, str], list[Award]] = {}
    for pair in combinations(firms, 2):
        shared = [a for a in earlier if pair[0] in a.firms and pair[1] in a.firms]
        if len(shared) + 1 >= s.co_bidding_threshold:
            together[pair] = shared
    if not together:
        return None
    names = dict(zip(new.firms, new.names, strict=True))
    ring = sorted({names[f] for pair in together for f in pair})
    times = max(len(v) for v in together.values()) + 1
    projects = sorted({a.project_no for v in together.values() for a in v} | {new.project_no})
    numbers = {"firms": ring, "times": times, "threshold": s.co_bidding_threshold, "procurements": projects}
    return Flag("co-bidding", 1, numbers,
                f"{', '.join(ring)} เสนอราคาแข่งกันในโครงการเดียวกัน {times} ครั้งในปีงบประมาณนี้",
                f"{', '.join(ring)} bid against each other {times} times this fiscal year")  # fmt: skip


def year_end_start(fiscal_year: int, months: int) -> date:
    end = fiscal_year_bounds(fiscal_year)[1]
    month = end.month - months + 1
    return date(end.year if month > 0 else end.year - 1, month if month > 0 else month + 12, 1)


def _year_end(new: Award, earlier: Sequence[Award], s: RedFlagSettings, raised: frozenset[str]) -> Flag | None:
    start = year_end_start(new.fiscal_year, s.year_end_months)
    if new.method != "specific" or new.awarded_on < start or "year-end-specific" in raised:
        return None
    specific = [a for a in [*earlier, new] if a.method == "specific"]
    late = [a for a in specific if a.awarded_on >= start]
    value, late_value = sum(a.agreed_satang for a in specific), sum(a.agreed_satang for a in late)
    if len(late) < s.year_end_min_purchases or late_value < s.year_end_share * value:
        return None
    share = late_value / value
    numbers = {"purchases": len(late), "value_satang": late_value, "year_value_satang": value,
               "share": round(share, 4), "threshold": s.year_end_share, "since": start.isoformat(),
               "procurements": [a.project_no for a in late]}  # fmt: skip
    return Flag("year-end-specific", 1, numbers,
                f"การจัดหาโดยวิธีเฉพาะเจาะจง {len(late)} รายการ มูลค่า{percent_th(share, 0)}ของทั้งปี "
                f"เกิดขึ้นตั้งแต่ {thai_date(start)} ถึงสิ้นปีงบประมาณ",
                f"{len(late)} specific-method purchases, {share:.0%} of the year's value, came in the fiscal year's "
                f"last {s.year_end_months} months")  # fmt: skip


PATTERNS: tuple[Pattern, ...] = (
    Pattern("contract-splitting", 1, "แบ่งซื้อแบ่งจ้าง", "Contract splitting", _splitting),
    Pattern("co-bidding", 1, "ผู้เสนอราคากลุ่มเดิมแข่งกันซ้ำ", "The same firms bidding together again", _co_bidding),
    Pattern("year-end-specific", 1, "จัดหาวิธีเฉพาะเจาะจงกระจุกช่วงปลายปีงบประมาณ",
            "Specific-method purchases crowded at the fiscal year's end", _year_end),
)  # fmt: skip


def patterns(new: Award, earlier: Sequence[Award], settings: RedFlagSettings,
             raised: frozenset[str] = frozenset()) -> list[Flag]:  # fmt: skip
    """The pattern flags an award completes, given the same organisation's earlier awards of its fiscal
    year (in the log's order) and the once-a-year rules already raised for it."""
    return [flag for p in PATTERNS if (flag := p.check(new, earlier, settings, raised)) is not None]


RULE_TITLES = {r.code: (r.title_th, r.title_en) for r in (*RULES, *PATTERNS)}
