"""Procurement notices: registration, signed notices with authority, publication, outputs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from application.delegations import Authority
from application.store import Index, Prongsai, check_version
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
from domain.thai import fiscal_year_of

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
    ) -> None:
        self.app = app
        self.authority = authority
        self.clock = clock
        self.rules = rules or ProcurementRules()

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
        self.app.commit(procurement, self.index(org_code).trigger_event(procurement_id=procurement.id))
        return procurement, True

    # -- notices -----------------------------------------------------------------------------

    def issue(self, user: User, procurement_id: UUID, version: int, kind: str, key: str, **values: Any) -> Procurement:
        """Issue a notice signed by ``user`` under the authority basis the service finds for them.

        A repeated idempotency key returns the procurement as it is, writing nothing.
        """
        if user.role not in CLERKS:
            raise NotPermitted("ไม่มีสิทธิ์ลงนามประกาศ", f"role '{user.role.value}' may not sign notices")
        p = self.get(user, procurement_id)
        key = (key or "").strip()[:100]
        if key and key in p.keys:
            return p
        check_version(p, version)

        def basis() -> dict[str, Any]:  # asked only once the notice's state rules and four eyes pass
            return self.authority.basis(user, p.org_code, Action.SIGN_PROCUREMENT_NOTICE, p.unit, p.budget_satang)

        signer, on = user.as_actor(), self.today()
        if kind == "plan_entry":
            p.announce_plan(signer, basis, key, on, str(values.get("planned_month") or ""))
        elif kind == "reference_price":
            p.announce_reference_price(signer, basis, key, on, values["price_satang"], str(values.get("source") or ""))
        elif kind == "invitation":
            p.announce_invitation(
                signer, basis, key, on, values["opens_on"], values["closes_on"],
                list(values.get("invited") or []), str(values.get("fewer_invited_reason") or ""), self.rules,
            )  # fmt: skip
        elif kind == "winner":
            earlier = self.wins_for_unit(p, str(values.get("winner") or "").strip())
            p.announce_winner(
                signer, basis, key, on, str(values.get("winner") or ""), values["agreed_satang"],
                list(values.get("bidders") or []), str(values.get("reason") or ""), earlier, self.rules,
            )  # fmt: skip
        elif kind == "contract":
            p.sign_contract(
                signer, basis, key, on, str(values.get("number") or ""), values["signed_on"], values["amount_satang"]
            )
        elif kind == "inspection":
            p.schedule_inspection(
                signer,
                basis,
                key,
                on,
                values["inspect_on"],
                str(values.get("time") or ""),
                str(values.get("place") or ""),
            )
        elif kind == "acceptance":
            p.record_acceptance(signer, basis, key, on, bool(values.get("accepted")), str(values.get("note") or ""))
        elif kind == "cancellation":
            p.cancel(signer, basis, key, on, str(values.get("reason") or ""))
        else:
            raise NotFound(f"ไม่รู้จักประกาศ {kind}", f"unknown notice kind '{kind}'")
        self.app.commit(p)
        return p

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

    def cancel(self, user: User, procurement_id: UUID, version: int, reason: str, key: str = "") -> Procurement:
        """Sign a cancellation notice (the catalogue's "cancel")."""
        PROCUREMENTS.check_role(user, "cancel")
        return self.issue(user, procurement_id, version, "cancellation", key, reason=reason)

    def publish(
        self, user: User, procurement_id: UUID, version: int, number: int, channel: str, reference: str
    ) -> Procurement:
        PROCUREMENTS.check_role(user, "publication")
        p = self.get(user, procurement_id)
        check_version(p, version)
        p.publish(user.as_actor(), number, channel, reference)
        self.app.commit(p)
        return p

    def observers(self, user: User, procurement_id: UUID, version: int, action: str, **values: Any) -> Procurement:
        """Community observers (plan measure ๔.๒.๓): appoint, record attendance, record remarks."""
        if user.role not in CLERKS:
            raise NotPermitted("ไม่มีสิทธิ์บันทึกผู้สังเกตการณ์", f"role '{user.role.value}' may not record observers")
        p = self.get(user, procurement_id)
        check_version(p, version)
        name = str(values.get("name") or "").strip()
        if not name or len(name) > 200:
            raise InvalidInput("ต้องระบุชื่อผู้แทนชุมชน", "the observer's name is required")
        if action == "appoint":
            if any(o["name"] == name for o in p.observers):
                raise InvalidTransition(f"'{name}' ได้รับแต่งตั้งแล้ว", f"'{name}' is already appointed")
            p.appoint_observer(actor=user.as_actor(), name=name, community=str(values.get("community") or "")[:200])
        elif action == "attendance":
            p.record_attendance(
                user.as_actor(), name, str(values.get("stage") or "")[:100], values.get("on") or self.today()
            )
        elif action == "remark":
            text = str(values.get("text") or "").strip()
            if not text:
                raise InvalidInput("ต้องระบุข้อสังเกต", "the remark is required")
            p.record_remark(user.as_actor(), name, text[:4000])
        else:
            raise NotFound(f"ไม่รู้จักคำสั่ง {action}", f"unknown observer action '{action}'")
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

    def monthly_summary(self, org_code: str, month: str, as_of: datetime | None = None) -> dict[str, Any]:
        """แบบ สขร.๑: procurements whose winner was announced in the month, as they stood at the
        month's end (or at ``as_of`` if that came first): a later contract does not change it."""
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
        stood = (self.app.as_of(Procurement, e.procurement_id, at) for e in self.index(org_code).get())
        for p in (p for p in stood if p is not None):
            award = next((n for n in p.notices if n["kind"] == "winner"), None)
            if award is None or (award["announced_on"].year, award["announced_on"].month) != (first.year, first.month):
                continue
            w = p.winner or {}
            rows.append(
                {
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
            )
        return {
            "report": "procurement-summary",
            "org_code": org_code,
            "organisation": organisation.name,
            "month": month,
            "items": rows,
            "totals": {"items": len(rows), "agreed_satang": sum(r["agreed_satang"] or 0 for r in rows)},
        }
