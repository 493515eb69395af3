"""The composition root: settings → store → services. Tests call it with their own settings."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta

from eventsourcing.utils import get_topic

from application.audit import ApprovalAudit
from application.authority import Authority
from application.cardinal import CardinalReadiness
from application.complaints import ComplaintRules, Complaints
from application.delegations import Delegations
from application.guidelines import Guidelines
from application.history import History
from application.ita import ItaPacks
from application.mail import Mailer
from application.measures import Measures
from application.ocds import OcdsPublisher, Publication
from application.oversight import Oversight
from application.people import Organisations, Users
from application.plans import PlanImporter, PlanReviews
from application.procurements import Procurements
from application.proofs import Proofs
from application.reminders import ReminderService
from application.reports import Reports
from application.store import Prongsai
from application.suppliers import Suppliers
from domain.checkpoint import CheckpointIssued
from domain.clock import Clock, use_for_events
from domain.obligations import ReminderSettings
from domain.procurement import ProcurementRules
from domain.red_flags import RedFlagSettings
from infrastructure.cardinal import field_coverage
from infrastructure.clock import SystemClock
from infrastructure.credentials import SqlCredentialStore
from infrastructure.event_store import store_env
from infrastructure.keys import KeyStore, load_or_create_master_key, store_has_keys
from infrastructure.mail import MailStore, SmtpSettings, SmtpTransport
from infrastructure.ocds import RecordCompiler
from infrastructure.oit import load_oit_table
from infrastructure.passwords import Argon2Hasher
from infrastructure.plan_drafts import SqlPlanDrafts
from infrastructure.plan_parser import parse_plan
from infrastructure.plan_sources import plan_text
from infrastructure.projections import Projections, default_projections
from infrastructure.ratelimit import SlidingWindow
from infrastructure.read_models import ReadModelDB, stored_rows
from infrastructure.report_formats import ReportRenderer
from infrastructure.settings import Settings
from infrastructure.sign_in_guard import Limits as SignInLimits
from infrastructure.sign_in_guard import SqlSignInGuard
from infrastructure.signing import Signer, load_or_create_private_key, signature_valid
from infrastructure.store_runner import StoreRunner
from infrastructure.tables import read_table
from infrastructure.web_sessions import SqlSessionStore


@dataclass
class Services:
    settings: Settings
    clock: Clock
    app: Prongsai
    organisations: Organisations
    users: Users
    measures: Measures
    plans: PlanImporter
    history: History
    authority: Authority
    delegations: Delegations
    audit: ApprovalAudit
    read_models: ReadModelDB
    projections: Projections
    oversight: Oversight
    proofs: Proofs  # inclusion and consistency proofs under signed tree heads (RFC 9162)
    ita: ItaPacks  # the ITA evidence pack per organisation and assessment year
    reports: Reports
    complaints: Complaints
    procurements: Procurements
    suppliers: Suppliers
    cardinal: CardinalReadiness
    reminders: ReminderService
    mail: Mailer
    ocds: OcdsPublisher
    runner: StoreRunner
    tracking_limiter: SlidingWindow  # guessing tracking codes: per client address
    sessions: SqlSessionStore  # the web desk's sessions, on the server (infrastructure/web_sessions.py)
    plan_reviews: PlanReviews  # a plan file read, reviewed by a clerk, imported with corrections recorded

    def close(self) -> None:
        self.runner.close()
        self.read_models.close()
        self.app.close()


def has_checkpoints(app: Prongsai) -> bool:
    """Whether the log already holds a signed checkpoint (asked only when the signing key file is missing)."""
    topic = get_topic(CheckpointIssued)
    return bool(app.recorder.select_notifications(start=None, limit=1, topics=[topic]))


def validate_cron(expression: str) -> None:
    from apscheduler.triggers.cron import CronTrigger

    CronTrigger.from_crontab(expression)


def store_threads(settings: Settings) -> int:
    if settings.store_threads is not None:
        return settings.store_threads
    return 0 if settings.database_url.startswith("sqlite") else settings.postgres_pool_size


def red_flag_settings(settings: Settings) -> RedFlagSettings:
    """``PRONGSAI_RED_FLAG_*`` → the rules' thresholds."""
    return RedFlagSettings(**{f.name: getattr(settings, f"red_flag_{f.name}") for f in fields(RedFlagSettings)})


def smtp_transport(settings: Settings) -> SmtpTransport | None:
    """The SMTP server from ``PRONGSAI_SMTP_*``; none configured: no transport (mail waits in the outbox)."""
    if not settings.smtp_host:
        return None
    s = settings
    return SmtpTransport(SmtpSettings(s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_username, s.smtp_password,
                                      s.smtp_sender))  # fmt: skip


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Services:
    """Build every service once, on one store and one clock (the system clock unless given)."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    use_for_events(clock)
    app = Prongsai(
        env=store_env(
            settings.database_url,
            pool_size=settings.postgres_pool_size,
            lock_timeout=settings.lock_timeout_seconds,
        )
    )
    organisations = Organisations(app)
    read_models = ReadModelDB(settings.database_url, settings.lock_timeout_seconds)
    guard = SqlSignInGuard(read_models, SignInLimits(window_seconds=settings.sign_in_window_seconds,
                                                     per_account_and_address=settings.sign_in_failures_per_account,
                                                     per_address=settings.sign_in_failures_per_address,
                                                     per_account=settings.sign_in_failures_account_total))  # fmt: skip
    users = Users(app, organisations, SqlCredentialStore(read_models), hasher=Argon2Hasher(), guard=guard, clock=clock)
    authority = Authority(app, users.get, clock)
    measures = Measures(app, authority, clock)
    flags = red_flag_settings(settings)
    reminding = ReminderSettings(lead_days=tuple(settings.reminder_lead_days),
                                 escalate_after_days=settings.reminder_escalate_after_days,
                                 approval_days=settings.reminder_approval_days,
                                 report_days=settings.reminder_report_days,
                                 publication_days=settings.reminder_publication_days,
                                 min_channels=settings.notice_min_channels)  # fmt: skip
    projections = Projections(app, read_models,
                              default_projections(flags, reminding, settings.delegation_report_deadline_day),
                              batch=settings.projection_batch)  # fmt: skip
    signer = Signer(load_or_create_private_key(settings.signing_key_path, lambda: has_checkpoints(app)))
    oversight = Oversight(
        app,
        projections,
        signer,
        lambda message, signature: signature_valid(signer.public_key, message, signature),
        clock=clock,
        rows=lambda upto: stored_rows(read_models, upto),
    )
    delegations = Delegations(
        app, authority, users.get, clock, report_deadline_day=settings.delegation_report_deadline_day, locks=read_models
    )
    rules = ComplaintRules(
        answer_days=settings.complaint_answer_days,
        working_days=settings.complaint_working_days,
        holidays=frozenset(settings.holidays),
        appeal_days=settings.appeal_days,
        retention_days=settings.complaint_retention_days,
        max_attachment_bytes=settings.max_attachment_bytes,
    )
    keys = KeyStore(
        read_models, load_or_create_master_key(settings.master_key_path, lambda: store_has_keys(read_models))
    )
    complaints = Complaints(app, keys, authority, clock, users.get, rules, locks=read_models)
    suppliers = Suppliers(app, keys, read_table, clock)
    procurements = Procurements(
        app,
        authority,
        clock,
        ProcurementRules(min_channels=settings.notice_min_channels, flags=flags),
        locks=read_models,
    )
    reports = Reports(
        app,
        organisations,
        delegations,
        measures,
        ReportRenderer(),
        validate_cron=validate_cron,
        complaints=complaints,
        procurements=procurements,
        guidelines=Guidelines(app, rules, settings.public_base_url),
        clock=clock,
        pattern_flags=projections.pattern_flags,
    )
    plans = PlanImporter(app, organisations)
    proofs = Proofs(app, projections, oversight)
    ita = ItaPacks(reports, oversight, proofs, load_oit_table(settings.oit_table), clock, settings.public_base_url)
    ocds = OcdsPublisher(
        app,
        procurements,
        RecordCompiler(settings.ocds_schema),
        Publication(
            prefix=settings.ocds_prefix,
            publisher_name=settings.ocds_publisher_name,
            publisher_uri=settings.ocds_publisher_uri,
            license=settings.ocds_license,
            publication_policy=settings.ocds_publication_policy,
            base_url=settings.public_base_url,
        ),
    )
    return Services(
        settings=settings,
        clock=clock,
        app=app,
        organisations=organisations,
        users=users,
        measures=measures,
        authority=authority,
        delegations=delegations,
        plans=plans,
        plan_reviews=PlanReviews(SqlPlanDrafts(read_models), plans, plan_text, parse_plan, clock),
        history=History(app),
        audit=ApprovalAudit(app, measures, authority, procurements, complaints),
        read_models=read_models,
        sessions=SqlSessionStore(read_models),
        projections=projections,
        oversight=oversight,
        proofs=proofs,
        ita=ita,
        reports=reports,
        complaints=complaints,
        procurements=procurements,
        suppliers=suppliers,
        ocds=ocds,
        cardinal=CardinalReadiness(ocds, procurements, oversight, field_coverage),
        reminders=ReminderService(app, projections, clock, reminding),
        mail=Mailer(
            MailStore(read_models, keys, timedelta(seconds=settings.mail_lease_seconds)),
            smtp_transport(settings),
            lambda username: projections.inbox(username, 1000),
            clock,
            settings.public_base_url,
            projections.citizen_updates,
            complaints.update_address,
        ),
        runner=StoreRunner(store_threads(settings)),
        tracking_limiter=SlidingWindow(read_models, clock, settings.tracking_lookups_per_minute),
    )
