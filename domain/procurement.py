"""Procurements (โครงการจัดซื้อจัดจ้าง) and their notices: the announcement trail the law asks for.

Sequence (Public Procurement Act B.E. 2560): annual plan entry → reference price → invitation →
winner announcement → contract → inspection → acceptance (or rejection); cancellation with a reason
at any point before acceptance. Each notice is signed under an authority basis and published on
channels; it counts as published on at least ``min_channels`` of them.

Over 400 lines on purpose: each notice's rules sit beside the event they record, in the module the
stored topics name; the catalogue lives in domain/procurement_commands.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent, event

from domain.base import ProngsaiAggregate
from domain.duties import LazyBasis, check_four_eyes, resolve
from domain.errors import FlagsToAcknowledge, InvalidInput, InvalidTransition, RuleBroken
from domain.people import NS
from domain.procurement_commands import (  # noqa: F401 (Method, METHOD_THAI re-exported)
    METHOD_THAI,
    PROCUREMENTS,
    SPECIFIC_GROUNDS,
    Channel,
    Method,
    ReferenceSource,
    Stage,
)
from domain.red_flags import Flag, RedFlagSettings, Seen, evaluate
from domain.shapes import Actor
from domain.suppliers import tax_id

Facts = tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]  # firms, debarments (SupplierRegister.facts)
NO_FACTS: Facts = ({}, {})

REFERENCE_SOURCES = tuple(s.value for s in ReferenceSource)
# The attribute each kind of notice sets: the aggregate's current state of that stage.
NOTICE_STATE = {
    "reference_price": "reference",
    "invitation": "invitation",
    "winner": "winner",
    "contract": "contract",
    "inspection": "inspection",
    "acceptance": "outcome",
    "cancellation": "cancelled",
}
CHANNELS = tuple(c.value for c in Channel)
NOTICE_THAI = {
    "plan_entry": "ประกาศเผยแพร่แผนการจัดซื้อจัดจ้าง",
    "reference_price": "ประกาศราคากลาง",
    "invitation": "ประกาศเชิญชวน",
    "winner": "ประกาศผู้ชนะการเสนอราคา",
    "contract": "สัญญา",
    "inspection": "กำหนดการตรวจรับ",
    "acceptance": "ผลการตรวจรับ",
    "cancellation": "ประกาศยกเลิก",
}


@dataclass(frozen=True)
class ProcurementRules:
    """Thresholds and periods: the law's figures where confirmed, settings where not."""

    specific_max_satang: int = 500_000_00
    e_market_min_satang: int = 500_000_00
    e_market_max_satang: int = 5_000_000_00
    e_bidding_min_satang: int = 500_000_00
    selective_min_invited: int = 3
    min_posting_days: dict[str, int] = field(
        default_factory=lambda: {"e_bidding": 5, "e_market": 3, "selective": 3, "specific": 0}
    )
    min_channels: int = 2
    flags: RedFlagSettings = field(default_factory=RedFlagSettings)  # red flags' thresholds (domain/red_flags.py)


class Procurement(ProngsaiAggregate):
    @staticmethod
    def create_id(org_code: str, project_no: str) -> UUID:
        return uuid5(NS, f"procurement/{org_code}/{project_no}")

    @event("Registered")
    def __init__(
        self,
        org_code: str,
        project_no: str,
        subject: str,
        unit: str,
        budget_satang: int,
        fiscal_year: int,
        method: str,
        specific_ground: str | None,
        measure_id: UUID | None,
        planned: dict[str, Any],
        actor: Actor,
    ) -> None:
        self.org_code = org_code
        self.project_no = project_no
        self.subject = subject
        self.unit = unit
        self.budget_satang = budget_satang
        self.fiscal_year = fiscal_year
        self.method = Method(method)
        self.specific_ground = specific_ground
        self.measure_id = measure_id
        self.planned = planned
        self.registered_by = actor
        self.notices: list[dict[str, Any]] = []
        self.keys: dict[str, int] = {}  # idempotency key → notice number
        self.reference: dict[str, Any] | None = None
        self.invitation: dict[str, Any] | None = None
        self.winner: dict[str, Any] | None = None
        self.contract: dict[str, Any] | None = None
        self.inspection: dict[str, Any] | None = None
        self.outcome: dict[str, Any] | None = None
        self.cancelled: dict[str, Any] | None = None
        self.warnings: list[dict[str, Any]] = []  # every warning and red flag: code and message
        self.red_flags: list[dict[str, Any]] = []  # red flags with their rule, version, numbers and acknowledgement
        self.observers: list[dict[str, Any]] = []
        self.budget_source: str | None = None

    @event("BudgetSourceRecorded")
    def record_budget_source(self, source: str, actor: Actor) -> None:
        """แหล่งที่มาของงบประมาณ (e.g. งบประมาณรายจ่ายประจำปี — งบลงทุน): a column of the monthly summary."""
        self.budget_source = source

    @staticmethod
    def check_method(method: Method, budget: int, ground: str | None, rules: ProcurementRules) -> None:
        """The method's value bounds (refused with a clear message)."""
        baht = f"{budget / 100:,.2f}"
        if method is Method.SPECIFIC and budget > rules.specific_max_satang and ground not in SPECIFIC_GROUNDS:
            raise RuleBroken(
                f"วิธีเฉพาะเจาะจงใช้ได้เมื่อวงเงินไม่เกิน {rules.specific_max_satang / 100:,.0f} บาท "
                f"หรือมีเหตุตามกฎหมาย ({', '.join(SPECIFIC_GROUNDS)}); วงเงินนี้ {baht} บาท",
                f"the specific method needs a budget ≤ {rules.specific_max_satang / 100:,.0f} baht or a listed ground "
                f"({', '.join(SPECIFIC_GROUNDS)}); this budget is {baht} baht",
            )
        if method is Method.E_BIDDING and budget <= rules.e_bidding_min_satang:
            raise RuleBroken(
                f"e-bidding ใช้กับวงเงินเกิน {rules.e_bidding_min_satang / 100:,.0f} บาท (วงเงินนี้ {baht} บาท)",
                f"e-bidding is for budgets above {rules.e_bidding_min_satang / 100:,.0f} baht (this is {baht})",
            )
        if method is Method.E_MARKET and not rules.e_market_min_satang < budget <= rules.e_market_max_satang:
            raise RuleBroken(
                f"e-market ใช้กับวงเงินเกิน {rules.e_market_min_satang / 100:,.0f} ถึง "
                f"{rules.e_market_max_satang / 100:,.0f} บาท (วงเงินนี้ {baht} บาท)",
                f"e-market is for budgets above {rules.e_market_min_satang / 100:,.0f} up to "
                f"{rules.e_market_max_satang / 100:,.0f} baht (this is {baht})",
            )

    # -- helpers -----------------------------------------------------------------------------

    def notice(self, number: int) -> dict[str, Any]:
        if not 1 <= number <= len(self.notices):
            raise InvalidInput(f"ไม่มีประกาศลำดับที่ {number}", f"there is no notice {number}")
        return self.notices[number - 1]

    def progress(self) -> tuple[str, str]:
        """Where the procurement stands, as the national list (สถานะการจัดซื้อจัดจ้าง) says it."""
        if self.cancelled:
            return "cancelled", "ยกเลิกการจัดซื้อจัดจ้าง"
        if self.outcome:
            return ("accepted", "ตรวจรับแล้ว") if self.outcome.get("accepted") else ("rejected", "ไม่ผ่านการตรวจรับ")
        if self.contract:
            return "contracted", "ลงนามสัญญาแล้ว อยู่ระหว่างดำเนินการ"
        if self.winner:
            return "awarded", "ประกาศผู้ชนะแล้ว รอลงนามสัญญา"
        if self.invitation:
            return "inviting", "อยู่ระหว่างการเสนอราคา"
        return "planned", "อยู่ระหว่างเตรียมการ"

    @property
    def stage(self) -> Stage:
        if self.cancelled:
            return Stage.CANCELLED
        return Stage.CLOSED if self.outcome else Stage.OPEN

    def authority_target(self) -> tuple[str, int]:
        """The unit and amount a signed notice of this procurement is an exercise of power over."""
        return self.unit, self.budget_satang

    def notice_numbers(self) -> list[tuple[int, str]]:
        return [(n["no"], f"{n['no']}. {NOTICE_THAI.get(n['kind'], n['kind'])}") for n in self.notices]

    def guard(self, command: str) -> None:
        """The state guard, read from the catalogue (domain/procurement_commands.py)."""
        PROCUREMENTS.check_state(self, command)

    def check_signer(self, signer: Actor) -> None:
        check_four_eyes(
            self.registered_by, signer, "ลงนามประกาศของโครงการที่ตนบันทึก", "sign notices of a procurement they registered"
        )

    def _record(self, kind: str, details: dict[str, Any], signer: Actor, basis: LazyBasis, key: str, on: date) -> None:
        self.check_signer(signer)
        self._notice(
            kind=kind, details=details, signer=signer, basis=resolve(basis), idempotency_key=key, announced_on=on
        )

    @event("NoticeIssued")
    def _notice(
        self,
        kind: str,
        details: dict[str, Any],
        signer: Actor,
        basis: dict[str, Any],
        idempotency_key: str,
        announced_on: date,
    ) -> None:
        number = len(self.notices) + 1
        self.notices.append(
            {
                "no": number,
                "kind": kind,
                "details": details,
                "signer": signer,
                "basis": basis,
                "announced_on": announced_on,
                "channels": {},
            }
        )
        if idempotency_key:
            self.keys[idempotency_key] = number
        if kind in NOTICE_STATE:
            setattr(self, NOTICE_STATE[kind], details)

    @event("WarningRaised")
    def warn(self, code: str, message_th: str, message_en: str) -> None:
        """A rule that only warns (logs before red flags): recorded, visible to auditors."""
        self.warnings.append({"code": code, "message_th": message_th, "message_en": message_en})

    # Each flagged notice's details are built (and checked) once, for signing and for the signer's preview.

    @staticmethod
    def reference_details(price_satang: int, source: str) -> dict[str, Any]:
        if source not in REFERENCE_SOURCES:
            raise InvalidInput(
                f"แหล่งที่มาราคากลางต้องเป็นหนึ่งใน {', '.join(REFERENCE_SOURCES)}",
                f"reference price source must be one of {', '.join(REFERENCE_SOURCES)}",
            )
        if price_satang <= 0:
            raise InvalidInput("ราคากลางต้องมากกว่าศูนย์", "the reference price must be positive")
        return {"price_satang": price_satang, "source": source}

    def invitation_details(self, opens_on: date, closes_on: date, invited: list[str], fewer_invited_reason: str,
                           rules: ProcurementRules) -> dict[str, Any]:  # fmt: skip
        if closes_on < opens_on:
            raise InvalidInput("วันปิดรับต้องไม่ก่อนวันเปิดรับ", "the invitation cannot close before it opens")
        invited = [i.strip() for i in invited if i.strip()]
        if (
            self.method is Method.SELECTIVE
            and len(invited) < rules.selective_min_invited
            and not fewer_invited_reason.strip()
        ):
            raise RuleBroken(
                f"วิธีคัดเลือกต้องเชิญอย่างน้อย {rules.selective_min_invited} ราย หรือบันทึกเหตุผล",
                f"the selective method needs ≥ {rules.selective_min_invited} invited or a recorded reason",
            )
        return {"opens_on": opens_on, "closes_on": closes_on, "invited": invited,
                "fewer_invited_reason": fewer_invited_reason.strip()}  # fmt: skip

    @staticmethod
    def winner_details(winner: str, agreed_satang: int, bidders: list[dict[str, Any]], reason: str) -> dict[str, Any]:
        """A winner notice's details as recorded: each bid with its tax id where one is given (checked)."""
        if not winner.strip() or not reason.strip():
            raise InvalidInput("ต้องระบุผู้ชนะและเหตุผลที่คัดเลือก", "the winner and the reason for selection are required")
        bids = []
        for b in bidders:
            bid = {"name": str(b["name"]).strip(), "price_satang": b["price_satang"]}
            given = str(b.get("tax_id") or "").strip()
            if given:
                if (checked := tax_id(given)) is None:
                    raise InvalidInput(f"เลขประจำตัวผู้เสียภาษีของ {bid['name']} ไม่ถูกต้อง ({given})",
                                       f"the tax id of {bid['name']} is not a valid 13-digit id ({given})")  # fmt: skip
                bid["tax_id"] = checked
            bids.append(bid)
        if winner.strip() not in [b["name"] for b in bids]:
            raise InvalidInput("ผู้ชนะต้องเป็นหนึ่งในผู้เสนอราคา", "the winner must be one of the bidders")
        return {"winner": winner.strip(), "agreed_satang": agreed_satang, "bidders": bids, "reason": reason.strip()}

    def red_flags_of(self, kind: str, details: dict[str, Any], rules: ProcurementRules,
                     earlier_wins_for_unit: int = 0, facts: Facts = NO_FACTS) -> list[Flag]:  # fmt: skip
        """The red flags a notice of ``kind`` with ``details`` would raise now (nothing is recorded);
        ``facts`` are the organisation's imported firms and debarment list (domain/suppliers.py)."""
        seen = Seen(kind=kind, details=details, method=self.method.value, budget_satang=self.budget_satang,
                    reference_satang=self.reference["price_satang"] if self.reference else None, unit=self.unit,
                    earlier_wins_for_unit=earlier_wins_for_unit,
                    minimum_posting_days=rules.min_posting_days.get(self.method.value, 0),
                    firms=facts[0], debarred=facts[1])  # fmt: skip
        return evaluate(seen, rules.flags)

    @staticmethod
    def check_acknowledged(flags: list[Flag], acknowledgement: str) -> None:
        """Flags never block a lawful act, but the signer acknowledges them with a note before signing."""
        if flags and not acknowledgement.strip():
            raise FlagsToAcknowledge(
                "ประกาศนี้มีข้อสังเกต (red flag): " + "; ".join(f.message_th for f in flags)
                + " — กรุณาบันทึกรับทราบข้อสังเกตก่อนลงนาม",
                "this notice raises red flags: " + "; ".join(f.message_en for f in flags)
                + " — record an acknowledgement before signing",
                red_flags=[{"rule": f.rule, "version": f.version, "numbers": f.numbers, "message_th": f.message_th,
                            "message_en": f.message_en} for f in flags],
            )  # fmt: skip

    def _raise_flags(self, flags: list[Flag], acknowledgement: str, signer: Actor) -> None:
        notice = len(self.notices)
        for flag in flags:
            self._flag(**flag.as_dict(notice), acknowledgement=acknowledgement.strip(), actor=signer)

    @event("RedFlagRaised")
    def _flag(self, rule: str, version: int, numbers: dict[str, Any], notices: list[int], message_th: str,
              message_en: str, acknowledgement: str, actor: Actor) -> None:  # fmt: skip
        """A red flag, raised with the notice that completed it: the rule and version, the numbers it saw,
        the notices involved, and the signer's acknowledgement."""
        self.red_flags.append({"rule": rule, "version": version, "numbers": numbers, "notices": notices,
                               "message_th": message_th, "message_en": message_en,
                               "acknowledgement": acknowledgement, "by": actor.get("username")})  # fmt: skip
        self.warnings.append({"code": rule, "message_th": message_th, "message_en": message_en})

    # -- notices -----------------------------------------------------------------------------

    def announce_plan(self, signer: Actor, basis: LazyBasis, key: str, on: date, planned_month: str) -> None:
        self.guard("plan-entry")
        self._record("plan_entry", {"planned_month": planned_month}, signer, basis, key, on)

    def announce_reference_price(
        self,
        signer: Actor,
        basis: LazyBasis,
        key: str,
        on: date,
        price_satang: int,
        source: str,
        rules: ProcurementRules | None = None,
        acknowledgement: str = "",
    ) -> None:
        self.guard("reference-price")
        details = self.reference_details(price_satang, source)
        flags = self.red_flags_of("reference_price", details, rules or ProcurementRules())
        self.check_acknowledged(flags, acknowledgement)
        self._record("reference_price", details, signer, basis, key, on)
        self._raise_flags(flags, acknowledgement, signer)

    def announce_invitation(
        self,
        signer: Actor,
        basis: LazyBasis,
        key: str,
        on: date,
        opens_on: date,
        closes_on: date,
        invited: list[str],
        fewer_invited_reason: str,
        rules: ProcurementRules,
        acknowledgement: str = "",
    ) -> None:
        self.guard("invitation")
        details = self.invitation_details(opens_on, closes_on, invited, fewer_invited_reason, rules)
        flags = self.red_flags_of("invitation", details, rules)
        self.check_acknowledged(flags, acknowledgement)
        self._record("invitation", details, signer, basis, key, on)
        self._raise_flags(flags, acknowledgement, signer)

    def announce_winner(
        self,
        signer: Actor,
        basis: LazyBasis,
        key: str,
        on: date,
        winner: str,
        agreed_satang: int,
        bidders: list[dict[str, Any]],
        reason: str,
        earlier_wins_for_unit: int,
        rules: ProcurementRules,
        acknowledgement: str = "",
        facts: Facts = NO_FACTS,
    ) -> None:
        self.guard("winner")
        if self.invitation is not None and on <= self.invitation["closes_on"]:
            raise RuleBroken(
                f"ประกาศผู้ชนะก่อนปิดรับข้อเสนอ ({self.invitation['closes_on'].isoformat()}) ไม่ได้",
                f"cannot announce a winner before the invitation closed ({self.invitation['closes_on'].isoformat()})",
            )
        if agreed_satang > self.budget_satang:
            raise RuleBroken(
                f"ราคาที่ตกลง {agreed_satang / 100:,.2f} บาท สูงกว่างบประมาณ {self.budget_satang / 100:,.2f} บาท",
                f"the agreed price {agreed_satang / 100:,.2f} exceeds the budget {self.budget_satang / 100:,.2f} baht",
            )
        details = self.winner_details(winner, agreed_satang, bidders, reason)
        flags = self.red_flags_of("winner", details, rules, earlier_wins_for_unit, facts)
        self.check_acknowledged(flags, acknowledgement)
        self._record("winner", details, signer, basis, key, on)
        self._raise_flags(flags, acknowledgement, signer)

    def sign_contract(
        self, signer: Actor, basis: LazyBasis, key: str, on: date, number: str, signed_on: date, amount_satang: int
    ) -> None:
        self.guard("contract")
        if signed_on < self.notices[-1]["announced_on"] or not number.strip():
            raise InvalidInput("เลขที่และวันที่สัญญาไม่ถูกต้อง", "the contract needs a number and a date after the award")
        if amount_satang > self.winner["agreed_satang"]:
            raise RuleBroken("มูลค่าสัญญาสูงกว่าราคาที่ตกลง", "the contract amount exceeds the agreed price")
        details = {"number": number.strip(), "signed_on": signed_on, "amount_satang": amount_satang}
        self._record("contract", details, signer, basis, key, on)

    def schedule_inspection(
        self, signer: Actor, basis: LazyBasis, key: str, on: date, inspect_on: date, time: str, place: str
    ) -> None:
        self.guard("inspection")
        if not place.strip() or not re.fullmatch(r"\d{2}:\d{2}", time.strip()):
            raise InvalidInput("ต้องระบุเวลา (HH:MM) และสถานที่ตรวจรับ", "the inspection needs a time (HH:MM) and a place")
        details = {"date": inspect_on, "time": time.strip(), "place": place.strip()}
        self._record("inspection", details, signer, basis, key, on)

    def record_acceptance(self, signer: Actor, basis: LazyBasis, key: str, on: date, accepted: bool, note: str) -> None:
        self.guard("acceptance")
        if not accepted and not note.strip():
            raise InvalidInput("การไม่รับมอบงานต้องระบุเหตุผล", "a rejection of the work needs a reason")
        self._record("acceptance", {"accepted": accepted, "note": note.strip()}, signer, basis, key, on)

    def cancel(self, signer: Actor, basis: LazyBasis, key: str, on: date, reason: str) -> None:
        self.guard("cancel")
        if not reason.strip():
            raise InvalidInput("การยกเลิกต้องระบุเหตุผล", "a cancellation needs a reason")
        self._record("cancellation", {"reason": reason.strip()}, signer, basis, key, on)

    # -- publication and observers ----------------------------------------------------------

    def publish(self, actor: Actor, number: int, channel: str, reference: str) -> None:
        self.guard("publication")
        notice = self.notice(number)
        if channel not in CHANNELS:
            raise InvalidInput(
                f"ช่องทางต้องเป็นหนึ่งใน {', '.join(CHANNELS)}", f"channel must be one of {', '.join(CHANNELS)}"
            )
        if channel in notice["channels"]:
            raise InvalidTransition(f"เผยแพร่ทาง {channel} แล้ว", f"already published on {channel}")
        self._publish(actor=actor, number=number, channel=channel, reference=reference.strip()[:300])

    @event("NoticePublished")
    def _publish(self, actor: Actor, number: int, channel: str, reference: str) -> None:
        self.notices[number - 1]["channels"][channel] = {"reference": reference, "by": actor.get("username")}

    def appoint_observer(self, actor: Actor, name: str, community: str) -> None:
        self.guard("appoint-observer")
        if any(o["name"] == name for o in self.observers):
            raise InvalidTransition(f"'{name}' ได้รับแต่งตั้งแล้ว", f"'{name}' is already appointed")
        self._appoint_observer(actor=actor, name=name, community=community)

    @event("ObserverAppointed")
    def _appoint_observer(self, actor: Actor, name: str, community: str) -> None:
        self.observers.append({"name": name, "community": community, "attendance": [], "remarks": []})

    def observer(self, name: str) -> dict[str, Any]:
        found = next((o for o in self.observers if o["name"] == name), None)
        if found is None:
            raise InvalidInput(f"'{name}' ไม่ได้รับแต่งตั้งเป็นผู้สังเกตการณ์", f"'{name}' is not an appointed observer")
        return found

    def record_attendance(self, actor: Actor, name: str, stage: str, on: date) -> None:
        self.guard("observer-attendance")
        self.observer(name)
        self._attended(actor=actor, name=name, stage=stage, on=on)

    @event("ObserverAttended")
    def _attended(self, actor: Actor, name: str, stage: str, on: date) -> None:
        self.observer(name)["attendance"].append({"stage": stage, "on": on})

    def record_remark(self, actor: Actor, name: str, text: str) -> None:
        self.guard("observer-remark")
        self.observer(name)
        self._remark(actor=actor, name=name, text=text)

    @event("ObserverRemarked")
    def _remark(self, actor: Actor, name: str, text: str) -> None:
        self.observer(name)["remarks"].append(text)

    def published(self, number: int, min_channels: int) -> bool:
        return len(self.notice(number)["channels"]) >= min_channels


class ProcurementLogged(DomainEvent):
    """Index entry of an organisation's procurements."""

    procurement_id: UUID
