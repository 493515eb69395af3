"""What the API answers with: the record after a command or a read, and the problem+json of a refusal.

These models are the OpenAPI document's description of the responses (routes return ``FastJSON``
directly, so they document; tests/unit/test_api_models.py proves each one matches what is sent).
Actors, bases and evidence are the event's own mappings, so they stay open objects here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

Mapping = dict[str, Any]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    version: int
    org_code: str


class Problem(BaseModel):
    """RFC 9457 problem details, with the message in Thai and English."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    message_th: str
    message_en: str


class MeasureOut(Record):
    plan_key: str
    code: str
    fiscal_year: int
    status: str
    status_th: str
    name: str | None
    kind: str | None
    dimension: int | None
    mission: str | None
    details: Mapping
    allocation_satang: int | None
    budget_state: str
    budget_th: str
    budget_warning: str | None
    no_budget: bool
    disbursed_satang: int
    disbursements: list[Mapping]
    steps: list[Mapping]
    approval: Mapping | None
    return_reason: str | None
    started_on: date | None
    completed_on: date | None
    result: Mapping | None
    not_proceed: Mapping | None
    published: bool
    allowed_actions: list[str]
    created_on: datetime
    modified_on: datetime


class DelegationOut(Record):
    order_no: str
    order_date: date
    status: str
    delegator: Mapping
    delegate: Mapping
    scope_versions: list[Mapping]
    valid_from: date
    valid_until: date | None
    sub_delegation_allowed: bool
    parent_id: str | None
    issued_on: date | None
    recipients: list[str]
    acknowledgements: list[Mapping]
    published_on: date | None
    revoked_at: datetime | None
    revocation_reason: str | None
    reports: Mapping
    drafted_by: Mapping
    signature: Mapping | None


class ActingOut(Record):
    order_no: str
    acting: Mapping
    holder: Mapping
    holder_role: str
    starts: datetime
    ends: datetime | None
    reason: str
    drafted_by: Mapping
    signature: Mapping | None
    in_force: bool


class ProcurementOut(Record):
    project_no: str
    subject: str
    unit: str
    budget_satang: int
    fiscal_year: int
    method: str
    specific_ground: str | None
    measure_id: str | None
    planned: Mapping
    budget_source: str | None
    notices: list[Mapping]
    warnings: list[Mapping]
    observers: list[Mapping]
    cancelled: Mapping | None


class ComplaintOut(Record):
    """What a handler works with: personal data stays sealed (``POST …/identity`` with a reason)."""

    case_no: str
    channel: str
    category: str
    anonymous: bool
    subject: str
    description: str
    location: str
    attachments: list[Mapping]
    personal_fields: list[str]
    personal_data_erased: bool
    accused_role: str | None
    state: str
    state_th: str
    received_on: date
    due_on: date
    answered_on: date | None
    delay_explained: bool
    unit: str | None
    officer: Mapping | None
    notices: list[Mapping]
    answer: Mapping | None
    referral: Mapping | None
    discipline: Mapping


REFUSALS = {
    401: "sign-in required (Authorization: Bearer <token>)",
    403: "the role may not, four eyes, or no authority at that moment",
    404: "no such record, or not visible to this user",
    409: "the record's state does not allow it, or the version is stale",
    422: "the input is not acceptable (which field, in Thai and English)",
    429: "too many attempts from this address",
    503: "the store is busy or a component is not set up",
}
PROBLEM_MEDIA = "application/problem+json"


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route can answer with, for its OpenAPI entry (as ``application/problem+json``)."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {s: {"description": REFUSALS[s], "content": {PROBLEM_MEDIA: {"schema": ref}}} for s in statuses}


def files(*media_types: str, what: str) -> dict[int | str, dict[str, Any]]:
    """A success answered as a file in one of these media types (JSON stays documented beside them)."""
    return {200: {"description": what, "content": {media: {} for media in media_types}}}


CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


# What every operation can be refused with, by kind: the public API needs no sign-in and rate-limits
# lookups; everything else needs a token (401), a role (403), a visible record (404); writes meet states (409).
PUBLIC_REFUSALS = (404, 422, 429, 503)
READ_REFUSALS = (401, 403, 404, 422, 503)
WRITE_REFUSALS = (*READ_REFUSALS, 409)


READ_PROBLEMS = problems(401, 404, 422, 503)
COMMAND_PROBLEMS = problems(401, 403, 404, 409, 422, 503)
