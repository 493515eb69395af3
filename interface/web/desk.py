"""The staff desk: dashboard, the plan, and each record's page with the forms its catalogue offers.

One route serves every command of every aggregate: ``POST /{records}/{id}/do/{command}`` reads the
form into the command's typed input (interface/web/forms.py) and calls the handler the catalogue names —
the same application service, rules and refusals as the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.plans import PLAN_IMPORTERS
from domain.catalogue import DESK, Catalogue, as_arguments
from domain.complaint import STATE_THAI
from domain.complaint_commands import COMPLAINTS
from domain.complaint_commands import OPEN as OPEN_COMPLAINTS
from domain.complaint_commands import State as ComplaintState
from domain.delegation_commands import ACTING, DELEGATIONS, DelegationStatus
from domain.errors import DomainError, InvalidInput, NotFound, NotPermitted, StaleVersion
from domain.measure import Measure, Status
from domain.measure_commands import MEASURES
from domain.people import Role, User
from domain.procurement_commands import PROCUREMENTS
from domain.thai import fiscal_year_of
from infrastructure.bootstrap import Services
from interface.api.deps import store_work
from interface.web.forms import Failure, NewRecord, form_of, parse
from interface.web.i18n import translate
from interface.web.inbox import inbox_of
from interface.web.pages import flash, lang, message, page, posted, signed_in, svc, user_of, year_param
from interface.web.present import enum_label, rows, timeline

router = APIRouter(include_in_schema=False)


def page_error(failure: Failure | None) -> str:
    """A refusal that is about no one form (someone acted first): shown at the top of the page."""
    return failure.message if failure is not None and not failure.command else ""


def forms(
    request: Request, user: User, catalogue: Catalogue, record: Any, base: str, failure: Failure | None = None
) -> dict[str, Any]:
    """A form for each command this person may use on this record now (state, role, four eyes and
    authority) — nothing that would be refused — and what the state allows but is for someone else."""
    s = svc(request)
    offer = s.authority.offer(catalogue, record, user)
    language = lang(request)
    today = s.measures.today()
    withheld = [
        {"label": c.en if language == "en" else c.th, "why": en if language == "en" else th}
        for c, th, en in offer.withheld
    ]
    names_people = any(f.kind == "person" for c in offer.commands for f in c.fields)
    people = people_of(s, record.org_code) if names_people else None
    drawn = [form_of(c, record, base, language, today, failure, people) for c in offer.commands]
    return {"forms": drawn, "withheld": withheld}


# -- dashboard and plan ----------------------------------------------------------------------


def dimension_progress(measures: list[Measure]) -> list[dict[str, Any]]:
    rows = []
    for number in sorted({m.details.get("dimension") for m in measures}):
        mine = [m for m in measures if m.details.get("dimension") == number]
        done = sum(1 for m in mine if m.status in (Status.COMPLETED, Status.RESULT_REPORTED, Status.PUBLISHED))
        going = sum(1 for m in mine if m.status is Status.IN_PROGRESS)
        rows.append({"dimension": number, "total": len(mine), "done": done, "going": going})
    return rows


def working_year(measures: list[Measure], plan_years: list[int], today_year: int) -> int:
    """The fiscal year the desk opens on: the latest one with work recorded (anything past "planned"),
    else the plan year nearest to today, else today's."""
    active = [m.fiscal_year for m in measures if m.status is not Status.PLANNED and m.fiscal_year <= today_year]
    if active:
        return max(active)
    past = [y for y in plan_years if y <= today_year]
    return max(past) if past else (min(plan_years) if plan_years else today_year)


@router.get("/", response_class=HTMLResponse)
@store_work
def dashboard(request: Request) -> Response:
    """My desk: what waits for me (approvals and signatures I may give, new and overdue complaints, my
    monthly reports), the work in progress and the plan's progress for one fiscal year, with a selector."""
    user = user_of(request)
    if user is None:  # a citizen: the public portals, tracking, and the staff sign-in
        return page(request, "home.html", organisations=svc(request).organisations.all())
    if user.role is Role.AUDITOR:
        return RedirectResponse("/audit", status_code=303)
    s = svc(request)
    org = user.org_codes[0]
    all_measures = s.measures.list(org)
    plans = s.measures.plans(org)
    plan_years = sorted({y for p in plans for y in p.fiscal_years})
    today_year = fiscal_year_of(s.measures.today())
    year = year_param(request, working_year(all_measures, plan_years, today_year))
    years = sorted({*plan_years, today_year, year}, reverse=True)
    measures = [m for m in all_measures if m.fiscal_year == year]

    def may(catalogue: Catalogue, name: str, record: Any) -> bool:
        return catalogue[name] in s.authority.offer(catalogue, record, user).commands

    approvals = [m for m in all_measures if m.status is Status.SUBMITTED and may(MEASURES, "approve", m)]
    drafts = [d for d in s.delegations.list(org) if d.status is DelegationStatus.DRAFTED]
    to_sign = [d for d in drafts if may(DELEGATIONS, "issue", d)]
    working = [m for m in measures if m.status in (Status.APPROVED, Status.IN_PROGRESS, Status.RETURNED)]
    complaints = [c for c in s.complaints.list(org) if c.state in OPEN_COMPLAINTS]
    today = s.complaints.today()
    new = [c for c in complaints if c.state is ComplaintState.RECEIVED]
    mine = [c for c in complaints if (c.officer or {}).get("username") == user.username]
    overdue = [c for c in complaints if c.is_overdue(today)]
    reports_due = [
        o for o in s.delegations.overdue_reports(org) if o["delegation"].delegate["username"] == user.username
    ]
    return page(request, "dashboard.html", user=user, year=year, years=years, approvals=approvals, to_sign=to_sign,
                working=working[:20], new_complaints=new, my_complaints=mine, overdue=overdue,
                reports_due=reports_due, progress=dimension_progress(measures), today=today,
                notices=inbox_of(request, 5))  # fmt: skip


@router.get("/plan", response_class=HTMLResponse)
@store_work
def plan(request: Request) -> Response:
    user = signed_in(request)
    s = svc(request)
    org = request.query_params.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")
    plans = s.measures.plans(org)
    years = plans[-1].fiscal_years if plans else []
    year = year_param(request, years[0] if years else fiscal_year_of(s.measures.today()))
    unit = request.query_params.get("unit", "")
    status = request.query_params.get("status", "")
    measures = s.measures.list(org, year)
    units = sorted({str(m.details.get("responsible_unit") or "") for m in measures})
    if unit:
        measures = [m for m in measures if m.details.get("responsible_unit") == unit]
    if status:
        measures = [m for m in measures if m.status.value == status]
    template = "plan_rows.html" if request.headers.get("HX-Request") else "plan.html"
    return page(request, template, user=user, org_code=org, plan=plans[-1] if plans else None, years=years,
                year=year, units=units, unit=unit, status=status, statuses=list(Status), measures=measures,
                may_import=user.role in PLAN_IMPORTERS)  # fmt: skip


# -- record pages ----------------------------------------------------------------------------


def measure_page(request: Request, user: User, measure_id: UUID, failure: Failure | None = None) -> HTMLResponse:
    s = svc(request)
    measure = s.measures.get(user, measure_id)
    return page(request, "measure.html", user=user, m=measure,
                **forms(request, user, MEASURES, measure, f"/measures/{measure_id}", failure),
                history=timeline(s.history.events(user, measure_id), lang(request)),
                error=page_error(failure))  # fmt: skip


# What a record page leaves out of its fields because it shows it otherwise: the state (the badge) and, for a
# procurement, the current notice of each stage (the notices list shows every one, in order).
SHOWN_ELSEWHERE = frozenset({"status", "stage", "state", "reference", "invitation", "winner", "contract", "inspection",
                             "outcome", "cancelled"})  # fmt: skip


def record_page(
    request: Request, user: User, title: str, record: Any, catalogue: Catalogue, base: str, failure: Failure | None
) -> HTMLResponse:
    """A record's detail page: its fields, its timeline and the forms its catalogue offers this person."""
    language = lang(request)
    state = catalogue.state_of(record)
    back = {"href": "/delegations" if base == "/acting" else base, "label": catalogue.th if language == "th" else ""}
    return page(request, "record.html", user=user, title=title, record=record,
                fields=rows(record, language, hide=SHOWN_ELSEWHERE),
                state_label=enum_label(state, language), back=back,
                history=timeline(svc(request).history.events(user, record.id), language),
                **forms(request, user, catalogue, record, f"{base}/{record.id}", failure),
                error=page_error(failure))  # fmt: skip


def delegation_page(request: Request, user: User, record_id: UUID, failure: Failure | None = None) -> HTMLResponse:
    d = svc(request).delegations.get(user, record_id)
    title = f"Delegation order {d.order_no}" if lang(request) == "en" else f"คำสั่งมอบอำนาจที่ {d.order_no}"
    return record_page(request, user, title, d, DELEGATIONS, "/delegations", failure)


def acting_page(request: Request, user: User, record_id: UUID, failure: Failure | None = None) -> HTMLResponse:
    a = svc(request).delegations.get_acting(user, record_id)
    title = f"Acting order {a.order_no}" if lang(request) == "en" else f"คำสั่งให้รักษาราชการแทนที่ {a.order_no}"
    return record_page(request, user, title, a, ACTING, "/acting", failure)


def procurement_page(request: Request, user: User, record_id: UUID, failure: Failure | None = None) -> HTMLResponse:
    p = svc(request).procurements.get(user, record_id)
    return record_page(request, user, p.subject, p, PROCUREMENTS, "/procurements", failure)


def may_read_identity(s: Services, user: User, c: Any) -> bool:
    if not c.personal or c.erased:
        return False
    try:
        s.complaints.check_may_read_personal(user, c)
    except NotPermitted:
        return False
    return True


def complaint_page(
    request: Request, user: User, record_id: UUID, failure: Failure | None = None, identity: Any = None
) -> HTMLResponse:
    s = svc(request)
    c = s.complaints.get(user, record_id)
    language = lang(request)
    shown = frozenset({"state", "case_no", "subject", "description", "due_on"})
    return page(request, "complaint.html", user=user, c=c, fields=rows(c, language, hide=shown),
                state_label=enum_label(c.state, language), today=s.complaints.today(),
                **forms(request, user, COMPLAINTS, c, f"/complaints/{record_id}", failure),
                history=timeline(s.history.events(user, record_id), language),
                error=page_error(failure), may_read_identity=may_read_identity(s, user, c), identity=identity,
                identity_error=failure.message if failure and failure.command == "read-identity" else "")  # fmt: skip


@dataclass(frozen=True)
class Desk:
    """One kind of record on the desk: its catalogue, its service and its page."""

    catalogue: Catalogue
    service: Callable[[Services], Any]
    page: Callable[[Request, User, UUID, Failure | None], HTMLResponse]
    getter: str = "get"  # the service's read of one record for this person


DESKS = {
    "measures": Desk(MEASURES, lambda s: s.measures, measure_page),
    "delegations": Desk(DELEGATIONS, lambda s: s.delegations, delegation_page),
    "acting": Desk(ACTING, lambda s: s.delegations, acting_page, getter="get_acting"),
    "procurements": Desk(PROCUREMENTS, lambda s: s.procurements, procurement_page),
    "complaints": Desk(COMPLAINTS, lambda s: s.complaints, complaint_page),
}


def desk_of(records: str) -> Desk:
    if records not in DESKS:
        raise NotFound("ไม่พบหน้าที่ร้องขอ", "no such page")
    return DESKS[records]


FAILURE = "failure"  # the session key a refused command's state waits under until its page is shown


def keep_failure(request: Request, key: str, failure: Failure) -> None:
    """A refusal waits in the session for the page that shows it (``key``: a record id or ``new:{records}``)."""
    request.session[FAILURE] = {"record": key, **failure.as_dict()}


def take_failure(request: Request, key: str, others: str = "discard") -> Failure | None:
    """The refusal waiting for this page, if any; one waiting for another page is dropped, or kept
    (``others="keep"``) when that page draws several forms in turn."""
    kept = request.session.get(FAILURE)
    if not kept or (kept.get("record") != key and others == "keep"):
        return None
    request.session.pop(FAILURE)
    if kept.get("record") != key:
        return None
    return Failure(kept["command"], kept["message"], kept.get("field", ""), kept.get("values", {}))


def refusal(request: Request, name: str, exc: DomainError, form: dict[str, Any]) -> Failure:
    """A command's refusal with everything typed (but the CSRF token and version) and the field it is about."""
    values = {k: str(v)[:20_000] for k, v in form.items() if k not in ("csrf", "version")}
    return Failure(name, message(request, exc), str(exc.details.get("field", "")), values)


@router.get("/{records}/{record_id:uuid}", response_class=HTMLResponse)
@store_work
def record(records: str, record_id: UUID, request: Request) -> HTMLResponse:
    failure = take_failure(request, str(record_id))
    return desk_of(records).page(request, signed_in(request), record_id, failure)


@router.post("/{records}/{record_id:uuid}/do/{command}", response_class=HTMLResponse)
async def act(records: str, record_id: UUID, command: str, request: Request) -> Response:
    desk = desk_of(records)
    form = await posted(request)
    return await svc(request).runner.run(run_command, desk, records, record_id, command, request, form)


def run_command(
    desk: Desk, records: str, record_id: UUID, name: str, request: Request, form: dict[str, Any]
) -> Response:
    """Post, then redirect, then get — after a success and after a refusal alike: the refusal (message,
    field and everything typed) waits in the session for the page, so a refresh never posts again."""
    user = signed_in(request, DESK)
    service = desk.service(svc(request))
    command = desk.catalogue[name]
    page_url = f"/{records}/{record_id}"
    try:
        desk.catalogue.check_role(user, name)
        typed = parse(command, form, lambda: getattr(service, desk.getter)(user, record_id))
        version = parse_version(form)
        getattr(service, command.handler)(user, record_id, version, **as_arguments(typed))
    except StaleVersion:
        failure = Failure(
            "",
            translate(  # fmt: skip
                lang(request), "มีผู้อื่นบันทึกข้อมูลนี้ก่อนแล้ว หน้านี้แสดงข้อมูลล่าสุด กรุณาตรวจสอบแล้วดำเนินการอีกครั้ง"
            ),
        )
    except DomainError as exc:
        failure = refusal(request, name, exc, form)
    else:
        flash(request, translate(lang(request), "บันทึกแล้ว"))
        return RedirectResponse(page_url, status_code=303)
    keep_failure(request, str(record_id), failure)
    anchor = "#error-summary" if failure.command else ""
    return RedirectResponse(page_url + anchor, status_code=303)


@router.post("/complaints/{record_id:uuid}/identity", response_class=HTMLResponse)
async def read_identity(record_id: UUID, request: Request) -> Response:
    form = await posted(request)
    return await svc(request).runner.run(show_identity, record_id, request, form)


def show_identity(record_id: UUID, request: Request, form: dict[str, Any]) -> Response:
    """The sealed identity, for whoever may read it, with the reason recorded as an event — shown on this
    one answer (never cached, never kept in the session); a refusal comes back to the page."""
    user = signed_in(request)
    s = svc(request)
    try:
        identity = s.complaints.identity(user, record_id, str(form.get("reason", "")))
    except DomainError as exc:
        values = {"reason": str(form.get("reason", ""))[:2000]}
        keep_failure(request, str(record_id), Failure("read-identity", message(request, exc), "reason", values))
        return RedirectResponse(f"/complaints/{record_id}#read-identity", status_code=303)
    response = complaint_page(request, user, record_id, None, identity)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- bringing records into being ---------------------------------------------------------------

NEW = {"delegations": DELEGATIONS, "acting": ACTING, "procurements": PROCUREMENTS}
NEW_SERVICE = {"delegations": "delegations", "acting": "delegations", "procurements": "procurements"}
LIST_PAGE = {"delegations": "/delegations", "acting": "/delegations", "procurements": "/procurements"}


def creation_forms(request: Request, user: User, records: str) -> list[Any]:
    """A form for each record this person may bring into being here, with the people it may name;
    after a refusal, the one that failed comes back as it was typed."""
    catalogue = NEW[records]
    allowed = catalogue.creatable(user)
    if not allowed:
        return []
    s = svc(request)
    org = user.org_codes[0]
    people = people_of(s, org)
    context = NewRecord(org)
    failure = take_failure(request, f"new:{records}", others="keep")  # /delegations draws two kinds
    today = s.measures.today()
    return [form_of(c, context, f"/{records}/new", lang(request), today, failure, people) for c in allowed]


def people_of(s: Services, org_code: str) -> list[tuple[str, str]]:
    """The people a form may name: username, and "name (position)" as shown."""
    return [
        (m["username"], f"{m['name']} ({m['position'] or Role(m['role']).thai})")
        for m in s.projections.members(org_code)
    ]


@router.post("/{records}/new/do/{command}", response_class=HTMLResponse)
async def create(records: str, command: str, request: Request) -> Response:
    if records not in NEW:
        raise NotFound("ไม่พบหน้าที่ร้องขอ", "no such page")
    form = await posted(request)
    return await svc(request).runner.run(run_creation, records, command, request, form)


def run_creation(records: str, name: str, request: Request, form: dict[str, Any]) -> Response:
    """Bring a record into being; on success its page, on a refusal the list page with the form as typed."""
    user = signed_in(request, DESK)
    creation = NEW[records].creation(name)
    service = getattr(svc(request), NEW_SERVICE[records])
    try:
        if user.role not in creation.roles:
            raise NotPermitted(f"บทบาทของท่านไม่มีสิทธิ์{creation.th}", f"your role may not {creation.en.lower()}")
        typed = parse(creation, form, lambda: None)
        made = getattr(service, creation.handler)(user, user.org_codes[0], **as_arguments(typed))
    except DomainError as exc:
        keep_failure(request, f"new:{records}", refusal(request, name, exc, form))
        return RedirectResponse(f"{LIST_PAGE[records]}#error-summary", status_code=303)
    record = made[0] if isinstance(made, tuple) else made
    flash(request, translate(lang(request), "บันทึกแล้ว"))
    return RedirectResponse(f"/{records}/{record.id}", status_code=303)


def parse_version(form: dict[str, Any]) -> int:
    try:
        return int(str(form.get("version", "")))
    except ValueError:
        raise InvalidInput("แบบฟอร์มไม่ครบ (ไม่มีฉบับที่)", "the form has no version; reload the page") from None


# -- lists -------------------------------------------------------------------------------------


@router.get("/delegations", response_class=HTMLResponse)
@store_work
def delegations(request: Request) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    org = user.org_codes[0]
    _, actings = s.authority.records(org)
    new = creation_forms(request, user, "delegations") + creation_forms(request, user, "acting")
    return page(request, "delegations.html", user=user, items=s.delegations.list(org), actings=actings,
                powers=s.authority.powers(user, org), overdue=s.delegations.overdue_reports(org),
                new_forms=new)  # fmt: skip


@router.get("/procurements", response_class=HTMLResponse)
@store_work
def procurements(request: Request) -> HTMLResponse:
    user = signed_in(request)
    return page(request, "procurements.html", user=user, items=svc(request).procurements.list(user.org_codes[0]),
                new_forms=creation_forms(request, user, "procurements"))  # fmt: skip


@router.get("/complaints", response_class=HTMLResponse)
@store_work
def complaints(request: Request) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    return page(request, "complaints.html", user=user, items=s.complaints.list(user.org_codes[0]),
                today=s.complaints.today(), state_thai=STATE_THAI)  # fmt: skip
