"""The measure workflow as use cases: each is get → check → call → save."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from application.authority import Authority
from application.store import Prongsai, check_version
from domain.clock import Clock, today
from domain.delegation import Action
from domain.errors import NotFound
from domain.measure import Measure, Status
from domain.measure_commands import MEASURES
from domain.people import User
from domain.plan import Organisation, Plan


def not_found(measure_id: UUID) -> NotFound:
    return NotFound(f"ไม่พบโครงการ/กิจกรรม {measure_id}", f"measure {measure_id} not found")


class Measures:
    def __init__(self, app: Prongsai, authority: Authority, clock: Clock) -> None:
        self.app = app
        self.authority = authority
        self.clock = clock

    def today(self) -> date:
        return today(self.clock)

    # -- reads -------------------------------------------------------------------------------

    def get(self, user: User, measure_id: UUID, version: int | None = None) -> Measure:
        measure = self.app.load(Measure, measure_id, version=version)
        if not user.may_see(measure.org_code):
            raise not_found(measure_id)
        return measure

    def public(self, org_code: str, measure_id: UUID) -> Measure:
        """A measure of an organisation's plan as anyone may read it (the plan is public: ITA O36)."""
        measure = self.app.find(Measure, measure_id)
        if measure is None or measure.org_code != org_code:
            raise not_found(measure_id)
        return measure

    def list(self, org_code: str, fiscal_year: int | None = None, status: Status | None = None) -> list[Measure]:
        """Every measure of an organisation's plans, in plan order (callers check visibility)."""
        where = None if status is None else (lambda m: m.status is status)
        return self.app.find_many(Measure, self._ids(org_code, fiscal_year), where)

    def published(self, org_code: str, fiscal_year: int | None = None) -> list[Measure]:
        """The measures whose results are published (what anyone may read), in plan order."""
        return self.app.find_many(Measure, self._ids(org_code, fiscal_year), lambda m: m.published)

    def _ids(self, org_code: str, fiscal_year: int | None) -> list[UUID]:
        ids = []
        for plan in self.plans(org_code):
            years = [fiscal_year] if fiscal_year else plan.fiscal_years
            for year in years:
                if year not in plan.fiscal_years:
                    continue
                ids += [Measure.create_id(org_code, plan.plan_key, code, year) for code in plan.item_codes]
        return ids

    def plans(self, org_code: str) -> list[Plan]:
        organisation = self.app.find(Organisation, Organisation.create_id(org_code))
        if organisation is None:
            raise NotFound(f"ไม่พบหน่วยงานรหัส {org_code}", f"organisation {org_code} not found")
        return [self.app.load(Plan, Plan.create_id(org_code, key)) for key in organisation.plan_keys]

    # -- commands ----------------------------------------------------------------------------

    def _for_update(self, user: User, measure_id: UUID, version: int, command: str) -> Measure:
        MEASURES.check_role(user, command)
        measure = self.get(user, measure_id)
        check_version(measure, version)
        return measure

    def approval_basis(self, user: User, measure: Measure) -> dict[str, Any]:
        """Approving or returning a measure is an exercise of the power to approve: ask the authority."""
        return self.authority.basis(user, measure.org_code, Action.APPROVE_MEASURE, *measure.approval_target())

    def _save(self, measure: Measure) -> Measure:
        self.app.commit(measure)
        return measure

    def submit(self, user: User, measure_id: UUID, version: int, note: str = "") -> Measure:
        measure = self._for_update(user, measure_id, version, "submit")
        measure.submit(user.as_actor(), note)
        return self._save(measure)

    def approve(self, user: User, measure_id: UUID, version: int, note: str = "") -> Measure:
        measure = self._for_update(user, measure_id, version, "approve")
        measure.approve(user.as_actor(), note, basis=lambda: self.approval_basis(user, measure))
        return self._save(measure)

    def return_for_revision(self, user: User, measure_id: UUID, version: int, reason: str) -> Measure:
        measure = self._for_update(user, measure_id, version, "return")
        measure.return_for_revision(user.as_actor(), reason, basis=lambda: self.approval_basis(user, measure))
        return self._save(measure)

    def start(self, user: User, measure_id: UUID, version: int, started_on: date, note: str = "") -> Measure:
        measure = self._for_update(user, measure_id, version, "start")
        measure.start(user.as_actor(), started_on, self.today(), note)
        return self._save(measure)

    def complete_step(
        self,
        user: User,
        measure_id: UUID,
        version: int,
        step_no: int,
        completed_on: date,
        evidence: dict[str, Any],
        note: str = "",
    ) -> Measure:
        measure = self._for_update(user, measure_id, version, "complete-step")
        measure.complete_step(user.as_actor(), step_no, completed_on, self.today(), evidence, note)
        return self._save(measure)

    def complete(self, user: User, measure_id: UUID, version: int, completed_on: date, note: str = "") -> Measure:
        measure = self._for_update(user, measure_id, version, "complete")
        measure.complete(user.as_actor(), completed_on, self.today(), note)
        return self._save(measure)

    def record_disbursement(
        self,
        user: User,
        measure_id: UUID,
        version: int,
        amount_satang: int,
        paid_on: date,
        document: dict[str, Any],
    ) -> Measure:
        measure = self._for_update(user, measure_id, version, "disburse")
        measure.record_disbursement(user.as_actor(), amount_satang, paid_on, self.today(), document)
        return self._save(measure)

    def correct_step(
        self,
        user: User,
        measure_id: UUID,
        version: int,
        step_no: int,
        completed_on: date,
        evidence: dict[str, Any],
        reason: str,
    ) -> Measure:
        measure = self._for_update(user, measure_id, version, "correct-step")
        measure.correct_step(user.as_actor(), step_no, completed_on, self.today(), evidence, reason)
        return self._save(measure)

    def reverse_disbursement(self, user: User, measure_id: UUID, version: int, index: int, reason: str) -> Measure:
        measure = self._for_update(user, measure_id, version, "reverse-disbursement")
        measure.reverse_disbursement(user.as_actor(), index, reason)
        return self._save(measure)

    def report_result(
        self,
        user: User,
        measure_id: UUID,
        version: int,
        kpi_actuals: list[dict[str, Any]],
        summary: str,
    ) -> Measure:
        measure = self._for_update(user, measure_id, version, "report-result")
        measure.report_result(user.as_actor(), kpi_actuals, summary)
        return self._save(measure)

    def publish(self, user: User, measure_id: UUID, version: int, note: str = "") -> Measure:
        measure = self._for_update(user, measure_id, version, "publish")
        measure.publish(user.as_actor(), note)
        return self._save(measure)

    def declare_could_not_proceed(
        self, user: User, measure_id: UUID, version: int, reason: str, note: str = ""
    ) -> Measure:
        measure = self._for_update(user, measure_id, version, "could-not-proceed")
        measure.declare_could_not_proceed(user.as_actor(), reason, note)
        return self._save(measure)

    def record_ordinance_budget(
        self, user: User, measure_id: UUID, version: int, amount_satang: int, ordinance: str
    ) -> Measure:
        """The amount the annual budget ordinance gave the item (e-Plan reports it beside the plan's)."""
        measure = self._for_update(user, measure_id, version, "record-ordinance-budget")
        measure.record_ordinance_budget(user.as_actor(), amount_satang, ordinance)
        return self._save(measure)

    def record_budget(
        self,
        user: User,
        measure_id: UUID,
        version: int,
        amount_satang: int | None,
        reason: str,
        no_budget: bool = False,
    ) -> Measure:
        """State the year's budget the plan document left unreadable (an amount, or no budget), with a reason."""
        measure = self._for_update(user, measure_id, version, "record-budget")
        measure.record_budget(user.as_actor(), amount_satang, reason, no_budget)
        return self._save(measure)
