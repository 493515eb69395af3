"""The one settings object, read from ``PRONGSAI_*`` environment variables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRONGSAI_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/prongsai.sqlite3",
        description="sqlite:///path (embedded default) or postgresql://user:pass@host:port/db",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    # Bundled plan imported into an empty store by `prongsai serve --seed` / `make run`.
    seed_org_code: str = "5490101"
    postgres_pool_size: int = 10
    lock_timeout_seconds: int = 10
    # Threads for blocking store work in the API (0 = inline on the event loop); default: 0 for
    # SQLite, the connection pool size for PostgreSQL.
    store_threads: int | None = None
    # Each delegate's monthly report is due by this day of the following month.
    delegation_report_deadline_day: int = Field(default=5, ge=1, le=28)
    # Ed25519 key that signs checkpoints of the hash chain (created on first use if missing).
    signing_key_path: Path = Path("var/signing-key.pem")
    # Projections: events per transaction, pause between polls, and whether `serve` runs the
    # worker in-process (default: yes for SQLite; with PostgreSQL run `prongsai worker`).
    projection_batch: int = Field(default=1000, ge=1)
    worker_poll_seconds: float = Field(default=0.5, gt=0)
    embedded_worker: bool | None = None
    checkpoint_cron: str = "0 * * * *"
    # Complaints: the answer promise (days; calendar or working days skipping weekends and the
    # holiday list), the disciplinary appeal window, retention before erasure, attachment limit,
    # and the master key that wraps each complaint's own key.
    complaint_answer_days: int = Field(default=15, ge=1)
    complaint_working_days: bool = False
    holidays: list[date] = []
    appeal_days: int = Field(default=30, ge=1)
    complaint_retention_days: int = Field(default=3650, ge=0)
    max_attachment_bytes: int = Field(default=5_000_000, ge=1)
    master_key_path: Path = Path("var/master.key")
    tracking_lookups_per_minute: int = Field(default=10, ge=1)
    # Procurement: channels a notice needs to count as published; OCDS publisher prefix and the
    # release schema (a path, or a URL downloaded once into var/).
    notice_min_channels: int = Field(default=2, ge=1)
    # Red flags' thresholds (domain/red_flags.py): a winning bid at/above this share of the reference price,
    # below this share, bids this close together, fewer bidders than this, a reference price above/below
    # these shares of the budget, this many wins for one unit in a fiscal year.
    red_flag_near_reference_ratio: float = Field(default=0.99, gt=0, le=1)
    red_flag_abnormally_low_ratio: float = Field(default=0.70, gt=0, lt=1)
    red_flag_cluster_spread: float = Field(default=0.02, ge=0, lt=1)
    red_flag_min_bidders: int = Field(default=3, ge=2, le=20)
    red_flag_reference_above_budget_ratio: float = Field(default=1.0, gt=0, le=10)
    red_flag_reference_below_budget_ratio: float = Field(default=0.5, gt=0, lt=1)
    red_flag_repeat_winner_threshold: int = Field(default=3, ge=2, le=100)
    # … across procurements: contract splitting (each under the ceiling, together over it, this many days
    # apart, subjects this alike), co-bidding (the same firms together this often in a fiscal year),
    # specific-method purchases crowded into the year's last months (share of value, least purchases)
    # Reminders (domain/obligations.py): days before a due date to remind, days overdue before escalating,
    # days a measure may wait for approval, and when the daily run happens (cron, Bangkok time)
    reminder_lead_days: list[int] = Field(default=[3, 1])
    reminder_escalate_after_days: int = Field(default=3, ge=0, le=60)
    reminder_approval_days: int = Field(default=7, ge=1, le=90)
    reminder_cron: str = "0 7 * * *"
    reminder_report_days: int = Field(default=30, ge=1, le=180)  # the plan's 6/12-month reports, after the round
    reminder_publication_days: int = Field(default=3, ge=1, le=60)  # a signed procurement notice on its channels
    # E-mail through an SMTP server (no host: notices stay in the desk's inbox and mail waits in the outbox)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: str = Field(default="starttls", pattern="^(starttls|tls|none)$")
    smtp_username: str = ""
    smtp_password: str = Field(default="", repr=False)
    smtp_sender: str = "prongsai@localhost"
    mail_lease_seconds: int = Field(default=600, ge=1, le=86_400)  # a claimed message left this long was orphaned
    mail_poll_seconds: int = Field(default=60, ge=1, le=3600)  # how often the worker drains the outbox
    red_flag_splitting_threshold_satang: int = Field(default=500_000_00, gt=0)
    red_flag_splitting_window_days: int = Field(default=30, ge=1, le=366)
    red_flag_splitting_similarity: float = Field(default=0.6, gt=0, le=1)
    red_flag_co_bidding_threshold: int = Field(default=3, ge=2, le=100)
    red_flag_year_end_months: int = Field(default=3, ge=1, le=11)
    red_flag_year_end_share: float = Field(default=0.5, gt=0, le=1)
    red_flag_year_end_min_purchases: int = Field(default=5, ge=1, le=1000)
    ocds_prefix: str = "ocds-th0000"
    # OCDS packages: the publisher (empty: the organisation's name), licence, publication policy and the
    # public address their "uri" is built on; the release schema is a local file set up once with
    # `prongsai ocds schema` (a request never downloads anything).
    ocds_publisher_name: str = ""
    ocds_publisher_uri: str = ""
    ocds_license: str = "https://creativecommons.org/licenses/by/4.0/"
    ocds_publication_policy: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    # ITA's open-data (OIT) items by assessment year: the bundled table, or an operator's own file
    # (same shape) when a new assessment year renumbers them.
    oit_table: Path | None = None
    ocds_schema: Path = Path("var/ocds/release-schema.json")
    # Signs the public forms' tokens (created once if missing); sessions themselves live on the server.
    session_secret_path: Path = Path("var/session-secret")
    # Mark the session cookie Secure (only sent over HTTPS): set it wherever the service is behind TLS.
    session_cookie_secure: bool = False
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    # Failed sign-ins within a window: per account from one address, per address, per account from anywhere.
    sign_in_window_seconds: int = Field(default=900, ge=60)
    sign_in_failures_per_account: int = Field(default=5, ge=1)
    sign_in_failures_per_address: int = Field(default=20, ge=1)
    sign_in_failures_account_total: int = Field(default=50, ge=1)
    # The reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks);
    # empty: none — the client address is the connection's.
    trusted_proxies: str = ""
