"""The worker: follows the log with every projection, and runs scheduled reports and checkpoints.

Runs in-process under ``prongsai serve`` for the embedded store, and as ``prongsai worker`` when
deployed with PostgreSQL (several API processes, one or more workers — batches are claimed under
a row lock, so workers never double-apply). Scheduling uses APScheduler's cron triggers in Thai
local time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from domain.delegation import BANGKOK
from infrastructure.bootstrap import Services
from infrastructure.read_models import ReadModelDB

log = logging.getLogger("prongsai.worker")
CLAIMS_DDL = (
    "CREATE TABLE IF NOT EXISTS job_claims (job TEXT NOT NULL, slot TEXT NOT NULL, worker TEXT NOT NULL,"
    " at TEXT NOT NULL, PRIMARY KEY (job, slot))",
)


class JobClaims:
    """Scheduled work runs once across every worker process: the first to claim a job's slot (its
    minute, or its day for a report) runs it; the others see the claim and skip."""

    def __init__(self, db: ReadModelDB, name: str) -> None:
        self.db = db
        self.name = name
        with db.transaction() as cursor:
            for statement in CLAIMS_DDL:
                cursor.execute(statement)

    def claim(self, job: str, slot: str, now: datetime) -> bool:
        with self.db.transaction() as cursor:
            row = cursor.execute(
                "INSERT INTO job_claims (job, slot, worker, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (job, slot) DO NOTHING RETURNING job",
                (job, slot, self.name, now.isoformat()),
            ).fetchone()
        return row is not None

    def forget(self, before: datetime) -> None:
        with self.db.transaction() as cursor:
            cursor.execute("DELETE FROM job_claims WHERE at < ?", (before.isoformat(),))


class Worker:
    def __init__(self, services: Services, poll_seconds: float | None = None) -> None:
        self.svc = services
        self.poll_seconds = poll_seconds or services.settings.worker_poll_seconds
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.scheduler = BackgroundScheduler(timezone=BANGKOK)
        self.errors: list[str] = []
        self.claims = JobClaims(services.read_models, f"{socket.gethostname()}/{os.getpid()}/{id(self):x}")

    def claimed(self, job: str, per: str = "minute") -> bool:
        """Whether this worker won the job's current slot (a minute, or a Bangkok day for a report)."""
        moment = self.svc.clock.now().astimezone(BANGKOK)
        slot = moment.strftime("%Y-%m-%d" if per == "day" else "%Y-%m-%dT%H:%M")
        return self.claims.claim(job, slot, moment)

    # -- projections -------------------------------------------------------------------------

    def follow(self) -> None:
        while not self.stopping.is_set():
            try:
                applied = self.svc.projections.catch_up()
            except Exception as exc:  # noqa: BLE001 - keep following; the error is logged and kept
                log.exception("projection catch-up failed")
                self.errors.append(repr(exc))
                applied = 0
            if not applied:
                self.stopping.wait(self.poll_seconds)

    # -- schedules ---------------------------------------------------------------------------

    def refresh_schedules(self) -> None:
        """(Re)load every organisation's report schedule; jobs are keyed so reloads replace them."""
        wanted: dict[str, tuple[str, Callable[[], Any]]] = {}
        for organisation in self.svc.organisations.all():
            for n, entry in enumerate(self.svc.reports.schedule(organisation.code)):
                job_id = f"report/{organisation.code}/{n}/{entry['report']}/{entry['cron']}"
                wanted[job_id] = (entry["cron"], self._report_job(organisation.code, entry))
        current = {job.id for job in self.scheduler.get_jobs() if job.id.startswith("report/")}
        for job_id in current - wanted.keys():
            self.scheduler.remove_job(job_id)
        for job_id in wanted.keys() - current:
            cron, job = wanted[job_id]
            self.scheduler.add_job(job, CronTrigger.from_crontab(cron, timezone=BANGKOK), id=job_id)

    def _report_job(self, org_code: str, entry: dict[str, Any]) -> Callable[[], Any]:
        def run() -> None:
            if not self.claimed(f"report/{org_code}/{entry['report']}/{entry.get('round')}/{entry['cron']}", "day"):
                return  # another worker ran it today
            try:
                self.svc.reports.run_scheduled(org_code, entry)
            except Exception as exc:  # noqa: BLE001 - one organisation's failure must not stop others
                log.exception("scheduled report failed for %s: %s", org_code, entry)
                self.errors.append(repr(exc))

        return run

    def issue_checkpoint(self) -> None:
        if not self.claimed("checkpoint"):
            return  # another worker signs this minute's checkpoint
        try:
            checkpoint = self.svc.oversight.issue_checkpoint()
            result = self.svc.oversight.verify_and_keep(checkpoint)
            if not result["ok"]:
                log.error("the log does not verify against checkpoint %s: %s", checkpoint["position"],
                          result["findings"][:3])  # fmt: skip
        except Exception as exc:  # noqa: BLE001
            log.exception("checkpoint failed")
            self.errors.append(repr(exc))

    def send_reminders(self) -> None:
        """The day's reminders, overdue notices and escalations (once a day across workers)."""
        if not self.claimed("reminders", "day"):
            return
        try:
            result = self.svc.reminders.run()
            for warning in result["warnings"]:
                log.warning("reminders: %s", warning)
            self.svc.mail.queue()  # each notice, or the day's (Monday: the week's) digest, as each person chose
        except Exception as exc:  # noqa: BLE001
            log.exception("reminders failed")
            self.errors.append(repr(exc))

    def send_mail(self) -> None:
        """Drain the outbox (each row is claimed by one worker; failures wait longer each time)."""
        try:
            self.svc.mail.drain()
        except Exception as exc:  # noqa: BLE001
            log.exception("sending mail failed")
            self.errors.append(repr(exc))

    def purge_sessions(self) -> None:
        """Forget web sessions past their expiry (they are refused anyway; this keeps the table small)."""
        if not self.claimed("purge"):
            return
        try:
            now = self.svc.clock.now()
            self.svc.sessions.purge(now)
            self.svc.tracking_limiter.forget(now - timedelta(hours=1))
            self.claims.forget(now - timedelta(days=40))
        except Exception as exc:  # noqa: BLE001
            log.exception("purging sessions failed")
            self.errors.append(repr(exc))

    # -- life --------------------------------------------------------------------------------

    def start(self) -> None:
        self.thread = threading.Thread(target=self.follow, name="prongsai-projections", daemon=True)
        self.thread.start()
        self.scheduler.add_job(
            self.issue_checkpoint,
            CronTrigger.from_crontab(self.svc.settings.checkpoint_cron, timezone=BANGKOK),
            id="checkpoint",
        )
        self.scheduler.add_job(self.refresh_schedules, "interval", minutes=1, id="refresh-schedules")
        self.scheduler.add_job(self.purge_sessions, "interval", hours=1, id="purge-sessions")
        daily = CronTrigger.from_crontab(self.svc.settings.reminder_cron, timezone=BANGKOK)
        self.scheduler.add_job(self.send_reminders, daily, id="reminders")
        self.scheduler.add_job(self.send_mail, "interval", seconds=self.svc.settings.mail_poll_seconds, id="send-mail")
        self.refresh_schedules()
        self.scheduler.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.thread is not None:
            self.thread.join(timeout=10)

    def wait(self) -> None:
        while not self.stopping.wait(1):
            pass
