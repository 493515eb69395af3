"""Procurement notices: registration, signed notices with authority, publication, outputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from application.authority import Authority
from application.ports import Locks, hold
from application.store import Index, Prongsai, check_version
from application.suppliers import supplier_facts
from domain.catalogue import DESK
from domain.clock import Clock, start_of_day, today
from domain.delegation import Action
from domain.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from domain.measure import Measure
from domain.people import NS, User
from domain.plan import Organisation
from domain.procurement import (
    METHOD_THAI,
    NOTICE_THAI,
    SPECIFIC_GROUNDS,
    Method,
    Procurement,
    ProcurementLogged,
    ProcurementRules,
)
from domain.procurement_commands import PROCUREMENTS
from domain.thai import fiscal_year_of, thai_month
from domain.values import plain_text

NOTICE_COMMAND = {  # a notice's kind as the events record it → its command in the catalogue
    "plan_entry": "plan-entry",
    "reference_price": "reference-price",
    "cancellation": "cancel",
}
Sign = Callable[[Procurement, dict[str, Any], Callable[[], dict[str, Any]], str, date], None]
CLERKS = DESK  # who registers procurements and issues notices (signing is the authority service's answer)


def procurements_log_id(org_code: str) -> UUID:
    return uuid5(NS, f"index/{org_code}/procurements")


class Procurements:
    def __init__(
        self,
        app: Prongsai,
        authority: Authority,
        clock: Clock,
        rules: ProcurementRules | None = None,
        locks: Locks | None = None,
    ) -> None:
        self.app = app
        self.authority = authority
        self.clock = clock
        self.rules = rules or ProcurementRules()
        self.locks = locks

    def today(self) -> date:
        return today(self.clock)

    def index(self, org_code: str) -> Index[ProcurementLogged]:
        return Index(self.app.events, procurements_log_id(org_code), ProcurementLogged)

    def list(self, org_code: str) -> list[Procurement]:
        return [self.app.load(Procurement, e.procurement_id) for e in self.index(org_code).get()]

    def get(self, user: User | None, procurement_id: UUID) -> Procurement:
        procurement = self.app.load(Procurement, procurement_id)
        if user is not None and not user.may_see(procurement.org_code):
            raise NotFound(f"ไม่พบโครงการ {procurement_id}", f"procurement {procurement_id} not found")
        return procurement

    def register(
        self,
        user: User,
        org_code: str,
        project_no: str,
        subject: str,
        unit: str,
        budget_satang: int,
        method: str,
        fiscal_year: int | None = None,
        specific_ground: str | None = None,
        measure_id: UUID | None = None,
        planned: dict[str, Any] | None = None,
        budget_source: str | None = None,
    ) -> tuple[Procurement, bool]:
        """Register a procurement; the same project number again returns it (idempotent) or refuses."""
        if user.role not in CLERKS:
            raise NotPermitted("ไม่มีสิทธิ์บันทึกโครงการจัดซื้อจัดจ้าง", f"role '{user.role.value}' may not register procurements")
        if not user.may_see(org_code) or not self.app.exists(Organisation.create_id(org_code)):
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        project_no, subject, unit = project_no.strip(), subject.strip(), unit.strip()
        if not project_no or not subject or not unit or len(subject) > 500:
            raise InvalidInput("ต้องระบุเลขที่โครงการ ชื่อเรื่อง และหน่วยงาน", "project number, subject and unit are required")
        try:
            method_ = Method(method)
        except ValueError:
            raise InvalidInput(
                f"วิธีจัดหาต้องเป็น {', '.join(m.value for m in Method)}",
                f"method must be one of {', '.join(m.value for m in Method)}",
            ) from None
        if specific_ground is not None and specific_ground not in SPECIFIC_GROUNDS:
            raise InvalidInput(
                f"เหตุผลต้องเป็น {', '.join(SPECIFIC_GROUNDS)}", f"ground must be one of {', '.join(SPECIFIC_GROUNDS)}"
            )
        if budget_satang <= 0:
            raise InvalidInput("งบประมาณต้องมากกว่าศูนย์", "the budget must be positive")
        Procurement.check_method(method_, budget_satang, specific_ground, self.rules)
        if measure_id is not None:
            measure = self.app.find(Measure, measure_id)
            if measure is None or measure.org_code != org_code:
                raise InvalidInput(
                    f"ไม่พบโครงการ/กิจกรรมตามแผน {measure_id} ของหน่วยงาน {org_code}",
                    f"measure {measure_id} is not a plan measure of organisation {org_code}",
                )
        year = fiscal_year or fiscal_year_of(self.today())
        existing = self.app.find(Procurement, Procurement.create_id(org_code, project_no))
        if existing is not None:
            same = (existing.subject, existing.budget_satang, existing.method) == (subject, budget_satang, method_)
            if not same:
                raise InvalidTransition(
                    f"เลขที่โครงการ {project_no} มีอยู่แล้วด้วยข้อมูลอื่น", f"project {project_no} exists with other details"
                )
            return existing, False
        procurement = Procurement(
            org_code=org_code,
            project_no=project_no,
            subject=subject,
            unit=unit,
            budget_satang=budget_satang,
            fiscal_year=year,
            method=method_.value,
            specific_ground=specific_ground,
            measure_id=measure_id,
            planned=planned or {},
            actor=user.as_actor(),
        )
        source = plain_text(budget_source or "").strip()
        if len(source) > 200:
            raise InvalidInput("แหล่งที่มาของงบประมาณยาวเกิน 200 ตัวอักษร", "the budget source is over 200 characters")
        if source:
            procurement.record_budget_source(source=source, actor=user.as_actor())
        # The organisation's index takes one new entry at a time, in every API process (else the second of
        # two registrations at the same moment would be refused for the first one's index position).
        with hold(self.locks, f"index/{org_code}"):
            self.app.commit(procurement, self.index(org_code).trigger_event(procurement_id=procurement.id))
        return procurement, True

    # -- notices -----------------------------------------------------------------------------

    def _sign(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        command: str,
        key: str,
        act: Sign,
    ) -> Procurement:
        """A notice signed by ``user`` under the authority basis the service finds for them.

        A repeated idempotency key returns the procurement as it is, writing nothing.
        """
        PROCUREMENTS.check_role(user, command)
        p = self.get(user, procurement_id)
        key = (key or "").strip()[:100]
        if key and key in p.keys:
            return p
        check_version(p, version)

        def basis() -> dict[str, Any]:  # asked only once the notice's state rules and four eyes pass
            return self.authority.basis(user, p.org_code, Action.SIGN_PROCUREMENT_NOTICE, p.unit, p.budget_satang)

        act(p, user.as_actor(), basis, key, self.today())
        self.app.commit(p)
        return p

    def issue(self, user: User, procurement_id: UUID, version: int, kind: str, key: str, **values: Any) -> Procurement:
        """A notice by its kind (``plan_entry`` … ``cancellation``): the catalogue command of that name."""
        command = PROCUREMENTS[NOTICE_COMMAND.get(kind, kind)]
        return getattr(self, command.handler)(user, procurement_id, version, idempotency_key=key, **values)

    def announce_plan(
        self, user: User, procurement_id: UUID, version: int, planned_month: str, idempotency_key: str = ""
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.announce_plan(signer, basis, key, on, planned_month)

        return self._sign(user, procurement_id, version, "plan-entry", idempotency_key, act)

    def announce_reference_price(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        price_satang: int,
        source: str,
        idempotency_key: str = "",
        acknowledgement: str = "",
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.announce_reference_price(signer, basis, key, on, price_satang, source, self.rules, acknowledgement)

        return self._sign(user, procurement_id, version, "reference-price", idempotency_key, act)

    def announce_invitation(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        opens_on: date,
        closes_on: date,
        invited: list[str] | None = None,
        fewer_invited_reason: str = "",
        idempotency_key: str = "",
        acknowledgement: str = "",
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.announce_invitation(signer, basis, key, on, opens_on, closes_on, list(invited or []),
                                  fewer_invited_reason, self.rules, acknowledgement)  # fmt: skip

        return self._sign(user, procurement_id, version, "invitation", idempotency_key, act)

    def announce_winner(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        winner: str,
        agreed_satang: int,
        bidders: list[dict[str, Any]],
        reason: str,
        idempotency_key: str = "",
        acknowledgement: str = "",
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            earlier = self.wins_for_unit(p, winner.strip())
            p.announce_winner(signer, basis, key, on, winner, agreed_satang, list(bidders), reason, earlier, self.rules,
                              acknowledgement, supplier_facts(self.app, p.org_code))  # fmt: skip

        return self._sign(user, procurement_id, version, "winner", idempotency_key, act)

    def sign_contract(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        number: str,
        signed_on: date,
        amount_satang: int,
        idempotency_key: str = "",
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.sign_contract(signer, basis, key, on, number, signed_on, amount_satang)

        return self._sign(user, procurement_id, version, "contract", idempotency_key, act)

    def schedule_inspection(
        self,
        user: User,
        procurement_id: UUID,
        version: int,
        inspect_on: date,
        time: str,
        place: str,
        idempotency_key: str = "",
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.schedule_inspection(signer, basis, key, on, inspect_on, time, place)

        return self._sign(user, procurement_id, version, "inspection", idempotency_key, act)

    def record_acceptance(
        self, user: User, procurement_id: UUID, version: int, accepted: bool, note: str = "", idempotency_key: str = ""
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.record_acceptance(signer, basis, key, on, accepted, note)

        return self._sign(user, procurement_id, version, "acceptance", idempotency_key, act)

    def cancel(
        self, user: User, procurement_id: UUID, version: int, reason: str, idempotency_key: str = ""
    ) -> Procurement:
        def act(p: Procurement, signer: dict[str, Any], basis: Any, key: str, on: date) -> None:
            p.cancel(signer, basis, key, on, reason)

        return self._sign(user, procurement_id, version, "cancel", idempotency_key, act)

    def red_flags(self, user: User, procurement_id: UUID, kind: str, **values: Any) -> list[dict[str, Any]]:
        """The red flags a notice would raise if signed now, shown to the signer first (nothing is written)."""
        PROCUREMENTS.check_role(user, NOTICE_COMMAND.get(kind, kind))
        p = self.get(user, procurement_id)
        if kind == "winner":
            details = p.winner_details(str(values.get("winner", "")), values["agreed_satang"],
                                       list(values.get("bidders") or []), str(values.get("reason", "")))  # fmt: skip
            flags = p.red_flags_of(kind, details, self.rules, self.wins_for_unit(p, details["winner"]),
                                   supplier_facts(self.app, p.org_code))  # fmt: skip
        elif kind == "reference_price":
            details = p.reference_details(values["price_satang"], str(values.get("source", "")))
            flags = p.red_flags_of(kind, details, self.rules)
        elif kind == "invitation":
            details = p.invitation_details(values["opens_on"], values["closes_on"], list(values.get("invited") or []),
                                           str(values.get("fewer_invited_reason", "")), self.rules)  # fmt: skip
            flags = p.red_flags_of(kind, details, self.rules)
        else:
            flags = []
        return [{"rule": f.rule, "version": f.version, "numbers": f.numbers, "message_th": f.message_th,
                 "message_en": f.message_en} for f in flags]  # fmt: skip

    def wins_for_unit(self, p: Procurement, winner: str) -> int:
        return sum(
            1
            for other in self.list(p.org_code)
            if other.id != p.id
            and other.unit == p.unit
            and other.fiscal_year == p.fiscal_year
            and other.winner
            and other.winner["winner"] == winner
        )

    def publish(
        self, user: User, procurement_id: UUID, version: int, number: int, channel: str, reference: str
    ) -> Procurement:
        PROCUREMENTS.check_role(user, "publication")
        p = self.get(user, procurement_id)
        check_version(p, version)
        p.publish(user.as_actor(), number, channel, reference)
        self.app.commit(p)
        return p

    def _observe(self, user: User, procurement_id: UUID, version: int, command: str, name: str) -> Procurement:
        """Community observers (plan measure ๔.๒.๓): the procurement, once the request may touch it."""
        PROCUREMENTS.check_role(user, command)
        p = self.get(user, procurement_id)
        check_version(p, version)
        if not name.strip() or len(name.strip()) > 200:
            raise InvalidInput("ต้องระบุชื่อผู้แทนชุมชน", "the observer's name is required")
        return p

    def appoint_observer(
        self, user: User, procurement_id: UUID, version: int, name: str, community: str = ""
    ) -> Procurement:
        p = self._observe(user, procurement_id, version, "appoint-observer", name)
        p.appoint_observer(user.as_actor(), name.strip(), community.strip()[:200])
        self.app.commit(p)
        return p

    def record_attendance(
        self, user: User, procurement_id: UUID, version: int, name: str, on: date | None = None, stage: str = ""
    ) -> Procurement:
        p = self._observe(user, procurement_id, version, "observer-attendance", name)
        p.record_attendance(user.as_actor(), name.strip(), stage.strip()[:100], on or self.today())
        self.app.commit(p)
        return p

    def record_remark(self, user: User, procurement_id: UUID, version: int, name: str, text: str) -> Procurement:
        p = self._observe(user, procurement_id, version, "observer-remark", name)
        if not text.strip():
            raise InvalidInput("ต้องระบุข้อสังเกต", "the remark is required")
        p.record_remark(user.as_actor(), name.strip(), text.strip()[:4000])
        self.app.commit(p)
        return p

    # -- outputs -----------------------------------------------------------------------------

    def register_of_notices(self, org_code: str) -> list[dict[str, Any]]:
        """The public register: every notice of the organisation, newest first, with its channels."""
        rows = []
        for p in self.list(org_code):
            for n in p.notices:
                rows.append(
                    {
                        "project_no": p.project_no,
                        "subject": p.subject,
                        "method": p.method.value,
                        "notice_no": n["no"],
                        "kind": n["kind"],
                        "kind_th": NOTICE_THAI[n["kind"]],
                        "announced_on": n["announced_on"],
                        "details": n["details"],
                        "channels": sorted(n["channels"]),
                        "published": len(n["channels"]) >= self.rules.min_channels,
                        "signer_position": n["signer"].get("position"),
                    }
                )
        return sorted(rows, key=lambda r: (r["announced_on"], r["project_no"], r["notice_no"]), reverse=True)

    def monthly_summary(
        self, org_code: str, month: str, as_of: datetime | None = None, layout: int = 2
    ) -> dict[str, Any]:
        """แบบ สขร.๑: procurements whose winner was announced in the month, as they stood at the
        month's end (or at ``as_of`` if that came first): a later contract does not change it.

        Layout 2 carries the national list's 16 fields (agency, district, province, ministry, agency
        type, fiscal year, budget source, status, e-GP number, agreed price on its own) besides the
        form's own columns; layout 1 is what was published before, kept so those still reproduce."""
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise InvalidInput("เดือนต้องอยู่ในรูป YYYY-MM", "month must be YYYY-MM") from None
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        at = min(start_of_day(following), as_of or self.clock.now())
        organisation = self.app.as_of(Organisation, Organisation.create_id(org_code), at) or self.app.load(
            Organisation, Organisation.create_id(org_code)
        )
        rows = []
        for p in self.as_they_stood(org_code, at):
            award = next((n for n in p.notices if n["kind"] == "winner"), None)
            if award is None or (award["announced_on"].year, award["announced_on"].month) != (first.year, first.month):
                continue
            w = p.winner or {}
            row = {
                "no": len(rows) + 1,
                "project_no": p.project_no,
                "item": p.subject,
                "budget_satang": p.budget_satang,
                "reference_price_satang": p.reference["price_satang"] if p.reference else None,
                "method": p.method.value,
                "method_th": METHOD_THAI[p.method],
                "bidders": w.get("bidders", []),
                "winner": w.get("winner"),
                "agreed_satang": w.get("agreed_satang"),
                "reason": w.get("reason"),
                "contract_no": p.contract["number"] if p.contract else None,
                "contract_date": p.contract["signed_on"] if p.contract else None,
            }
            if layout >= 2:
                status, status_th = p.progress()
                row |= {"fiscal_year": p.fiscal_year, "unit": p.unit, "budget_source": p.budget_source,
                        "status": status, "status_th": status_th}  # fmt: skip
            rows.append(row)
        content: dict[str, Any] = {
            "report": "procurement-summary",
            "org_code": org_code,
            "organisation": organisation.name,
            "month": month,
            "items": rows,
            "totals": {"items": len(rows), "agreed_satang": sum(r["agreed_satang"] or 0 for r in rows)},
        }
        if layout < 2:
            return content
        profile = organisation.profile()
        places = {"district": "อำเภอ", "province": "จังหวัด", "agency_type": "ประเภทหน่วยงาน"}
        warnings = [f"ยังไม่ได้บันทึก{th}ของหน่วยงาน (prongsai orgs describe)" for key, th in places.items()
                    if not profile[key]]  # fmt: skip
        warnings += [f"โครงการ {r['project_no']}: ยังไม่ได้บันทึกแหล่งที่มาของงบประมาณ"
                     for r in rows if not r["budget_source"]]  # fmt: skip
        return {
            **content,
            "layout": 2,
            "month_th": thai_month(first),
            "fiscal_year": fiscal_year_of(first),
            "agency": profile,
            "note": None if rows else "ไม่มีการจัดซื้อจัดจ้าง",
            "warnings": warnings,
        }

    def as_they_stood(self, org_code: str, at: datetime) -> list[Procurement]:
        """Every procurement of the organisation as it stood at ``at`` (registered later: left out)."""
        stood = (self.app.as_of(Procurement, e.procurement_id, at) for e in self.index(org_code).get())
        return [p for p in stood if p is not None]
