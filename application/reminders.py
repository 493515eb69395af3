"""Reminders and escalation (domain/obligations.py): each day, every open obligation's reached stages become
notices to the people concerned, recorded once in the log; the inbox shows each person theirs."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from application.ports import ReadModels
from application.store import Prongsai
from domain.clock import Clock, today
from domain.errors import StaleVersion
from domain.obligations import Reminders, ReminderSettings, notice, notice_message, reached
from domain.people import User
from domain.thai import fiscal_year_of

ATTEMPTS = 5  # a run that loses the race to append to the same reminders reloads and tries again


class ReminderService:
    def __init__(self, app: Prongsai, read_models: ReadModels, clock: Clock, settings: ReminderSettings) -> None:
        self.app = app
        self.read_models = read_models
        self.clock = clock
        self.settings = settings

    def recipients(self, who: str, members: dict[str, dict[str, Any]]) -> list[str]:
        """A username as it is; ``role:<role>`` as every active member of the organisation holding it."""
        if not who.startswith("role:"):
            return [who]
        return sorted(u for u, m in members.items() if m["role"] == who.removeprefix("role:"))

    def due(self, on: date | None = None) -> tuple[dict[tuple[str, int], list[dict[str, Any]]], list[str]]:
        """The notices every open obligation calls for by ``on`` (default today), grouped by organisation
        and fiscal year; and, said out loud, obligations whose owner's role nobody holds."""
        on = on or today(self.clock)
        members: dict[str, dict[str, dict[str, Any]]] = {}  # organisation → username → member (read once)
        groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        warnings = []
        for ob in self.read_models.open_obligations():
            stages = reached(ob, on, self.settings)
            if stages and ob.org_code not in members:
                members[ob.org_code] = {m["username"]: m for m in self.read_models.members(ob.org_code)}
            named = members.get(ob.org_code, {})
            for stage in stages:
                people = self.recipients(stage.to, named)
                if not people:
                    warnings.append(f"{ob.org_code}: ไม่มีผู้ดำรงตำแหน่ง {stage.to} ที่จะรับแจ้ง '{ob.title}' ({stage.name})")
                groups[(ob.org_code, fiscal_year_of(ob.due_on))] += [
                    notice(ob, stage, p, on, {"name": named.get(p, {}).get("name") or p,
                                              "position": named.get(p, {}).get("position") or ""})
                    for p in people]  # fmt: skip
        return groups, warnings

    def run(self, on: date | None = None) -> dict[str, Any]:
        """Record every notice due and not yet sent. Safe to run again, after a restart, or in two workers
        at once: what was sent is in the log, and a notice is recorded once."""
        groups, warnings = self.due(on)
        sent = sum(self._send(org, year, notices) for (org, year), notices in sorted(groups.items()))
        return {"sent": sent, "warnings": warnings}

    def _send(self, org_code: str, fiscal_year: int, notices: list[dict[str, Any]]) -> int:
        for _ in range(ATTEMPTS):
            reminders = self.app.find(Reminders, Reminders.create_id(org_code, fiscal_year))
            if reminders is None:
                reminders = Reminders(org_code=org_code, fiscal_year=fiscal_year)
            fresh = reminders.unsent(notices)
            if not fresh:
                return 0
            reminders.send(fresh)
            try:
                self.app.commit(reminders)
            except StaleVersion:  # another worker recorded some of them first: look again
                continue
            return len(fresh)
        raise StaleVersion("บันทึกการแจ้งเตือนชนกันซ้ำหลายครั้ง", "reminders kept colliding with another writer")

    def inbox(self, user: User, language: str = "th", limit: int = 200) -> list[dict[str, Any]]:
        """The person's notices, newest first, in words."""
        return [{**n, **dict(zip(("subject", "body"), notice_message(n, language), strict=True))}
                for n in self.read_models.inbox(user.username, limit)]  # fmt: skip
