"""Open Contracting's red-flag library (Cardinal) beside Prongsai's own rules.

Cardinal (``ocdscardinal`` on PyPI, 0.0.8) computes its red-flag indicators in a command-line program
written in Rust; the Python package carries only its ``coverage`` command — which fields of an OCDS file
are filled in, and how often. That is what is used here: for each Cardinal indicator that matches one of
Prongsai's rules, whether the organisation's published OCDS data holds the fields the indicator reads (so
a watchdog running Cardinal on it could compute it), shown beside how many times Prongsai's rule raised
the flag. Cardinal reads compiled releases, so each procurement's record is compiled first (ocdsmerge).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import NotFound
from domain.red_flags import RULE_TITLES

Coverage = Callable[[list[dict[str, Any]]], dict[str, int]]  # releases → {field path: releases holding it}


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    title_th: str
    fields: tuple[str, ...]  # the paths Cardinal's coverage names, as the indicator reads them
    rules: tuple[str, ...]  # Prongsai's rules that look for the same thing


PERIOD = ("/tender/tenderPeriod/startDate", "/tender/tenderPeriod/endDate", "/tender/procurementMethod")
BIDDERS = ("/bids/details[]/tenderers[]/id", "/tender/procurementMethod")
BIDS = ("/bids/details[]/value/amount", "/bids/details[]/tenderers[]/id")
AGAINST_WINNER = ("/bids/details[]/value/amount", "/awards[]/suppliers[]/id")
INDICATORS = (
    Indicator("R003", "Short submission period", "ระยะเวลายื่นข้อเสนอสั้น", PERIOD, ("short-posting",)),
    Indicator("R018", "Single bid received", "มีผู้ยื่นข้อเสนอรายเดียว", BIDDERS, ("single-bidder",)),
    Indicator("R024", "Winning bid very close to the second-lowest", "ราคาผู้ชนะใกล้ราคาอันดับสองผิดปกติ",
              AGAINST_WINNER, ("clustered-bids",)),
    Indicator("R028", "Identical bid prices", "ราคาเสนอเท่ากัน", BIDS, ("identical-bids",)),
    Indicator("R044", "Business similarities between suppliers", "ผู้ยื่นข้อเสนอมีที่อยู่หรือผู้ติดต่อเดียวกัน",
              ("/parties[]/address", "/bids/details[]/tenderers[]/id"), ("linked-bidders",)),
    Indicator("R058", "Heavily discounted bid", "ราคาผู้ชนะต่ำกว่าอันดับสองมากผิดปกติ", AGAINST_WINNER,
              ("abnormally-low-bid",)),
)  # fmt: skip


class CardinalReadiness:
    def __init__(self, ocds: Any, procurements: Any, oversight: Any, coverage: Coverage) -> None:
        self.ocds = ocds
        self.procurements = procurements
        self.oversight = oversight
        self.coverage = coverage

    def readiness(self, org_codes: Sequence[str], fiscal_year: int | None = None) -> dict[str, Any]:
        """Each matched Cardinal indicator: the fields it reads and how many of the organisation's published
        procurements hold each (Cardinal's own count), whether it could be computed on them, and how many
        flags Prongsai's matching rules raised."""
        releases = []
        for org in org_codes:
            for p in self.procurements.list(org):
                if fiscal_year is not None and p.fiscal_year != fiscal_year:
                    continue
                try:
                    releases.append(self.ocds.record(p.id)["compiledRelease"])
                except NotFound:  # registered, no notice yet: nothing published
                    continue
        counted = self.coverage(releases) if releases else {}
        raised = Counter(f["rule"] for f in self.oversight.red_flags(list(org_codes), fiscal_year=fiscal_year,
                                                                     limit=100_000))  # fmt: skip
        rows = []
        for ind in INDICATORS:
            held = {path: counted.get(path, 0) for path in ind.fields}
            missing = [path for path, n in held.items() if n == 0]
            rows.append({
                "indicator": ind.code,
                "title": ind.title,
                "title_th": ind.title_th,
                "fields": held,
                "computable": bool(releases) and not missing,
                "missing": missing,
                "rules": [{"rule": r, "rule_th": RULE_TITLES[r][0], "rule_en": RULE_TITLES[r][1], "raised": raised[r]}
                          for r in ind.rules],
            })  # fmt: skip
        warnings = [] if releases else ["ยังไม่มีประกาศจัดซื้อจัดจ้างที่เผยแพร่เป็น OCDS จึงยังนับไม่ได้"]
        return {"procurements": len(releases), "library": "ocdscardinal coverage", "indicators": rows,
                "warnings": warnings}  # fmt: skip
