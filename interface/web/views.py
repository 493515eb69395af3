"""The web application: staff desk, public transparency portal and auditor view (server-rendered).

Sessions are signed cookies; every form carries a CSRF token; the same application services as
the API do the work, so every rule, refusal and authority check is the same.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fontpkg_sarabun import ROOT as SARABUN
from starlette.middleware.sessions import SessionMiddleware

from domain.complaint import STATE_THAI
from domain.delegation import BANGKOK
from domain.errors import DomainError, NotAuthenticated, NotFound, StaleVersion
from domain.measure import NOT_PROCEED_THAI, Measure, NotProceedReason, Status
from domain.people import Role, User
from domain.policy import COMMAND_THAI, MEASURE_COMMANDS
from domain.procurement import parse_satang
from domain.thai import baht, fiscal_year_of, thai_date
from infrastructure.bootstrap import Services
from interface.web.i18n import translate

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["be_date"] = lambda d: thai_date(d, thai_digits=False) if isinstance(d, date) else (d or "-")
templates.env.filters["baht"] = lambda s: baht(s)
templates.env.filters["be_time"] = lambda t: (
    f"{thai_date(t.astimezone(BANGKOK).date(), thai_digits=False)} {t.astimezone(BANGKOK):%H:%M}"
    if isinstance(t, datetime)
    else t
)
router = APIRouter(include_in_schema=False)
STAFF = {Role.EXECUTIVE, Role.DEPUTY, Role.CLERK, Role.DIVISION_HEAD, Role.STAFF}


def svc(request: Request) -> Services:
    return request.app.state.services


def lang(request: Request) -> str:
    return request.cookies.get("lang", "th")


def user_of(request: Request) -> User | None:
    user_id = request.session.get("user_id")
    if not user_id:
        return None
    try:
        user = svc(request).app.load(User, UUID(user_id))
    except (NotFound, ValueError):
        return None
    return user if user.active else None


def csrf(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


async def form_of(request: Request) -> dict[str, Any]:
    form = await request.form()
    if not secrets.compare_digest(str(form.get("csrf", "")), request.session.get("csrf", "-")):
        raise NotAuthenticated(
            "แบบฟอร์มหมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง", "the form expired (CSRF check failed); reload and try again"
        )
    return {k: v for k, v in form.multi_items()}


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append({"message": message, "kind": kind})


def page(request: Request, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    user = context.pop("user", None) or user_of(request)
    language = lang(request)
    context.update(
        request=request,
        user=user,
        lang=language,
        t=lambda key: translate(key, language),
        csrf=csrf(request),
        flashes=request.session.pop("flash", []),
        org=(user.org_codes[0] if user and user.org_codes else None),
        Role=Role,
    )
    return templates.TemplateResponse(request, name, context, status_code=http_status)


def message(request: Request, exc: DomainError) -> str:
    return exc.en if lang(request) == "en" else exc.th


def signed_in(request: Request, roles: set[Role] | None = None) -> User:
    user = user_of(request)
    if user is None:
        raise NotAuthenticated("ต้องเข้าสู่ระบบ", "sign-in required")
    if roles is not None and user.role not in roles:
        from domain.errors import NotPermitted

        raise NotPermitted("บทบาทของท่านไม่มีสิทธิ์ใช้หน้านี้", "your role may not use this page")
    return user


def outcome(
    request: Request, work: Callable[[], object], again: Callable[[str, int], Response], location: str
) -> Response:
    """Run a form's command. Success: a message and a redirect (POST → GET). A refusal: the page again with
    the message in Thai or English — a stale form gets the fresh state with its own clear message."""
    from interface.api.errors import status_of

    try:
        work()
    except StaleVersion:
        return again(translate("stale", lang(request)), 409)
    except DomainError as exc:
        return again(message(request, exc), status_of(exc))
    flash(request, translate("done", lang(request)))
    return RedirectResponse(location, status_code=303)


# -- sign-in ------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html")


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_of(request)
    try:
        user = svc(request).users.sign_in(str(form.get("username", "")).strip(), str(form.get("password", "")))
    except NotAuthenticated as exc:
        return page(
            request, "login.html", http_status=401, error=message(request, exc), username=form.get("username", "")
        )
    request.session.clear()
    request.session["user_id"] = str(user.id)
    csrf(request)
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await form_of(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    response = RedirectResponse(request.headers.get("referer") or "/", status_code=303)
    response.set_cookie("lang", "en" if code == "en" else "th", max_age=365 * 86400, samesite="lax")
    return response


# -- staff desk ---------------------------------------------------------------------------------


def dimension_progress(measures: list[Measure]) -> list[dict[str, Any]]:
    rows = []
    for number in sorted({m.details.get("dimension") for m in measures}):
        mine = [m for m in measures if m.details.get("dimension") == number]
        done = sum(1 for m in mine if m.status in (Status.COMPLETED, Status.RESULT_REPORTED, Status.PUBLISHED))
        going = sum(1 for m in mine if m.status is Status.IN_PROGRESS)
        rows.append({"dimension": number, "total": len(mine), "done": done, "going": going})
    return rows


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    user = user_of(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if user.role is Role.AUDITOR:
        return RedirectResponse("/audit", status_code=303)
    s = svc(request)
    org = user.org_codes[0]
    year = int(request.query_params.get("year") or fiscal_year_of(s.measures.today()))
    measures = s.measures.list(org, year)
    approvals = [m for m in measures if m.status is Status.SUBMITTED] if user.role is not Role.STAFF else []
    working = [m for m in measures if m.status in (Status.APPROVED, Status.IN_PROGRESS, Status.RETURNED)]
    complaints = [
        c for c in s.complaints.list(org) if c.state.value in ("received", "acknowledged", "assigned", "in_progress")
    ]
    mine = [c for c in complaints if (c.officer or {}).get("username") == user.username]
    today = s.complaints.today()
    overdue = [c for c in complaints if c.is_overdue(today)]
    reports_due = [
        o for o in s.delegations.overdue_reports(org) if o["delegation"].delegate["username"] == user.username
    ]
    return page(
        request,
        "dashboard.html",
        user=user,
        year=year,
        approvals=approvals,
        working=working[:20],
        my_complaints=mine,
        overdue=overdue,
        reports_due=reports_due,
        progress=dimension_progress(measures),
    )


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request) -> Response:
    user = signed_in(request)
    s = svc(request)
    org = request.query_params.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")
    plans = s.measures.plans(org)
    years = plans[-1].fiscal_years if plans else []
    year = int(request.query_params.get("year") or (years[0] if years else fiscal_year_of(s.measures.today())))
    unit = request.query_params.get("unit", "")
    status = request.query_params.get("status", "")
    measures = s.measures.list(org, year)
    units = sorted({str(m.details.get("responsible_unit") or "") for m in measures})
    if unit:
        measures = [m for m in measures if m.details.get("responsible_unit") == unit]
    if status:
        measures = [m for m in measures if m.status.value == status]
    template = "plan_rows.html" if request.headers.get("HX-Request") else "plan.html"
    return page(
        request,
        template,
        user=user,
        org_code=org,
        plan=plans[-1] if plans else None,
        years=years,
        year=year,
        units=units,
        unit=unit,
        status=status,
        statuses=list(Status),
        measures=measures,
    )


def measure_page(request: Request, user: User, measure_id: UUID, error: str = "", status: int = 200) -> HTMLResponse:
    s = svc(request)
    measure = s.measures.get(user, measure_id)
    allowed = [
        a
        for a in measure.allowed_actions
        if user.role in MEASURE_COMMANDS.get(a, set())
        and not (a == "complete-step" and len(measure.steps_done) >= len(measure.steps))
        and a not in ("correct-step", "reverse-disbursement")  # corrections: through the API for now
    ]
    return page(
        request,
        "measure.html",
        http_status=status,
        user=user,
        m=measure,
        allowed=allowed,
        command_thai=COMMAND_THAI,
        history=s.history.events(user, measure_id),
        reasons=[(r.value, NOT_PROCEED_THAI[r]) for r in NotProceedReason],
        today=s.measures.today(),
        error=error,
    )


@router.get("/measures/{measure_id}", response_class=HTMLResponse)
def measure(measure_id: UUID, request: Request) -> HTMLResponse:
    return measure_page(request, signed_in(request), measure_id)


def evidence(form: dict[str, Any]) -> dict[str, Any]:
    return {k: form.get(f"doc_{k}", "") for k in ("number", "title", "link", "sha256")}


def number(form: dict[str, Any], key: str, default: int = 0) -> int:
    from domain.errors import InvalidInput

    try:
        return int(form.get(key) or default)
    except ValueError:
        raise InvalidInput("กรุณาระบุตัวเลขให้ถูกต้อง", f"'{key}' must be a whole number") from None


def day(form: dict[str, Any], key: str) -> date:
    from domain.errors import InvalidInput

    try:
        return date.fromisoformat(str(form.get(key, "")))
    except ValueError:
        raise InvalidInput("กรุณาระบุวันที่ให้ถูกต้อง", f"'{key}' must be a date") from None


@router.post("/measures/{measure_id}/do/{action}", response_class=HTMLResponse)
async def measure_action(measure_id: UUID, action: str, request: Request) -> Response:
    user = signed_in(request, STAFF)
    form = await form_of(request)
    m = svc(request).measures

    def work() -> None:
        version = number(form, "version")
        note = str(form.get("note", ""))
        if action == "submit":
            m.submit(user, measure_id, version, note)
        elif action == "approve":
            m.approve(user, measure_id, version, note)
        elif action == "return":
            m.return_for_revision(user, measure_id, version, str(form.get("reason", "")))
        elif action == "start":
            m.start(user, measure_id, version, day(form, "on"), note)
        elif action == "complete-step":
            step = number(form, "step_no")
            m.complete_step(user, measure_id, version, step, day(form, "on"), evidence(form), note)
        elif action == "complete":
            m.complete(user, measure_id, version, day(form, "on"), note)
        elif action == "disburse":
            amount = parse_satang(str(form.get("amount", "")), "จำนวนเงิน", "amount")
            m.record_disbursement(user, measure_id, version, amount, day(form, "on"), evidence(form))
        elif action == "report-result":
            current = m.get(user, measure_id)
            actuals = [
                {"actual": form.get(f"actual_{i}", ""), "met": form.get(f"met_{i}") == "on"}
                for i in range(len(current.kpis))
            ]
            m.report_result(user, measure_id, version, actuals, str(form.get("summary", "")))
        elif action == "publish":
            m.publish(user, measure_id, version, note)
        elif action == "record-budget":
            text = str(form.get("amount", "")).strip()
            amount = parse_satang(text, "งบประมาณ", "budget") if text else None
            m.record_budget(user, measure_id, version, amount, str(form.get("reason", "")))
        elif action == "could-not-proceed":
            m.declare_could_not_proceed(user, measure_id, version, str(form.get("reason", "")), note)
        else:
            raise NotFound("ไม่รู้จักคำสั่ง", f"unknown action {action}")

    return outcome(
        request,
        work,
        lambda error, status: measure_page(request, user, measure_id, error, status),
        f"/measures/{measure_id}",
    )


@router.get("/delegations", response_class=HTMLResponse)
def delegations(request: Request) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    org = user.org_codes[0]
    return page(
        request,
        "delegations.html",
        user=user,
        items=s.delegations.list(org),
        powers=s.authority.powers(user, org),
        overdue=s.delegations.overdue_reports(org),
    )


DELEGATION_ACTIONS = {
    "issue": "ลงนามคำสั่ง",
    "circulate": "แจ้งเวียน",
    "acknowledge": "รับทราบคำสั่ง",
    "publish": "เผยแพร่ต่อสาธารณะ",
    "report": "รายงานผลการใช้อำนาจประจำเดือน",
    "revoke": "เพิกถอนคำสั่ง",
}
PROCUREMENT_ACTIONS = {"publication": "บันทึกการเผยแพร่ประกาศ", "cancellation": "ยกเลิกโครงการ"}


@router.get("/delegations/{delegation_id}", response_class=HTMLResponse)
def delegation(delegation_id: UUID, request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    d = s.delegations.get(user, delegation_id)
    return record_page(request, user, f"คำสั่งที่ {d.order_no}", d, DELEGATION_ACTIONS, "/delegations", error, status)


@router.post("/delegations/{delegation_id}/do/{action}", response_class=HTMLResponse)
async def delegation_action(delegation_id: UUID, action: str, request: Request) -> Response:
    user = signed_in(request, STAFF)
    form = await form_of(request)
    d = svc(request).delegations

    def work() -> None:
        version = number(form, "version")
        if action == "issue":
            d.issue(user, delegation_id, version, str(form.get("text", "")))
        elif action == "circulate":
            d.circulate(user, delegation_id, version, str(form.get("text", "")).split(","))
        elif action == "acknowledge":
            d.acknowledge(user, delegation_id, version, str(form.get("text", "")))
        elif action == "publish":
            d.publish(user, delegation_id, version)
        elif action == "report":
            d.file_report(user, delegation_id, version, str(form.get("month", "")), str(form.get("text", "")),
                          number(form, "count"))  # fmt: skip
        elif action == "revoke":
            d.revoke(user, delegation_id, version, str(form.get("text", "")))
        else:
            raise NotFound("ไม่รู้จักคำสั่ง", f"unknown action {action}")

    return outcome(
        request,
        work,
        lambda error, status: delegation(delegation_id, request, error, status),
        f"/delegations/{delegation_id}",
    )


@router.get("/procurements", response_class=HTMLResponse)
def procurements(request: Request) -> HTMLResponse:
    user = signed_in(request)
    return page(request, "procurements.html", user=user, items=svc(request).procurements.list(user.org_codes[0]))


@router.get("/procurements/{procurement_id}", response_class=HTMLResponse)
def procurement(procurement_id: UUID, request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    p = s.procurements.get(user, procurement_id)
    return record_page(request, user, p.subject, p, PROCUREMENT_ACTIONS, "/procurements", error, status)


@router.post("/procurements/{procurement_id}/do/{action}", response_class=HTMLResponse)
async def procurement_action(procurement_id: UUID, action: str, request: Request) -> Response:
    user = signed_in(request, STAFF)
    form = await form_of(request)
    p = svc(request).procurements

    def work() -> None:
        version = number(form, "version")
        if action == "publication":
            p.publish(user, procurement_id, version, number(form, "notice"), str(form.get("channel", "")),
                      str(form.get("text", "")))  # fmt: skip
        elif action == "cancellation":
            p.issue(user, procurement_id, version, "cancellation", "", reason=str(form.get("text", "")))
        else:
            raise NotFound("ไม่รู้จักคำสั่ง", f"unknown action {action}")

    return outcome(
        request,
        work,
        lambda error, status: procurement(procurement_id, request, error, status),
        f"/procurements/{procurement_id}",
    )


@router.get("/complaints", response_class=HTMLResponse)
def complaints(request: Request) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    return page(
        request,
        "complaints.html",
        user=user,
        items=s.complaints.list(user.org_codes[0]),
        today=s.complaints.today(),
        state_thai=STATE_THAI,
    )


@router.get("/complaints/{complaint_id}", response_class=HTMLResponse)
def complaint(complaint_id: UUID, request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    user = signed_in(request)
    s = svc(request)
    c = s.complaints.get(user, complaint_id)
    fields = {k: v for k, v in _fields(c).items() if k not in ("personal", "tracking_hash")}
    return page(request, "complaint.html", user=user, c=c, fields=fields, state_thai=STATE_THAI,
                history=s.history.events(user, complaint_id), error=error, http_status=status)  # fmt: skip


@router.post("/complaints/{complaint_id}/do/{action}", response_class=HTMLResponse)
async def complaint_action(complaint_id: UUID, action: str, request: Request) -> Response:
    user = signed_in(request, STAFF)
    form = await form_of(request)
    s = svc(request)

    def work() -> None:
        version = number(form, "version")
        text = str(form.get("text", ""))
        if action == "acknowledge":
            s.complaints.acknowledge(user, complaint_id, version, text)
        elif action == "assign":
            s.complaints.assign(
                user, complaint_id, version, str(form.get("unit", "")), str(form.get("officer", "")), s.users.get
            )
        elif action == "notice":
            s.complaints.post_notice(user, complaint_id, version, text, form.get("public") == "on")
        elif action == "explain-delay":
            s.complaints.explain_delay(user, complaint_id, version, text)
        elif action == "resolve":
            s.complaints.resolve(user, complaint_id, version, text)
        elif action == "close":
            s.complaints.close(user, complaint_id, version)
        else:
            raise NotFound("ไม่รู้จักคำสั่ง", f"unknown action {action}")

    return outcome(
        request,
        work,
        lambda error, status: complaint(complaint_id, request, error, status),
        f"/complaints/{complaint_id}",
    )


def record_page(
    request: Request, user: User, title: str, record: Any, actions: dict[str, str], base: str, error: str, status: int
) -> HTMLResponse:
    """A record's detail page: its fields, its timeline and its action forms."""
    return page(request, "record.html", user=user, title=title, record=record, fields=_fields(record),
                history=svc(request).history.events(user, record.id), actions=actions,
                action_base=f"{base}/{record.id}", error=error, http_status=status)  # fmt: skip


def _fields(record: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if not k.startswith("_")}


# -- auditor view -------------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request) -> HTMLResponse:
    user = signed_in(request, {Role.AUDITOR, Role.EXECUTIVE, Role.DEPUTY, Role.CLERK})
    s = svc(request)
    q = request.query_params
    org = q.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")

    def moment(value: str | None, end: bool = False) -> datetime | None:
        if not value:
            return None
        return datetime.combine(date.fromisoformat(value), time.max if end else time.min, tzinfo=BANGKOK)

    events = s.oversight.search(
        org,
        q.get("aggregate_type") or None,
        q.get("aggregate_id") or None,
        q.get("actor") or None,
        moment(q.get("since")),
        moment(q.get("until"), end=True),
        limit=200,
    )
    if user.role is Role.AUDITOR:
        s.oversight.record_access(user, org, "web/audit", q.get("reason", ""))
    try:
        verification = s.oversight.verify()
    except NotFound:
        verification = None
    return page(request, "audit.html", user=user, org_code=org, events=events, q=q, verification=verification)


@router.get("/audit/aggregate/{aggregate_id}", response_class=HTMLResponse)
def audit_aggregate(aggregate_id: UUID, request: Request) -> HTMLResponse:
    user = signed_in(request, {Role.AUDITOR, Role.EXECUTIVE, Role.DEPUTY, Role.CLERK})
    s = svc(request)
    on = request.query_params.get("as_of")
    at = datetime.combine(date.fromisoformat(on), time.max, tzinfo=BANGKOK) if on else None
    state = s.history.as_of(user, aggregate_id, moment=at)
    return page(request, "record.html", user=user, title=f"{type(state).__name__} {aggregate_id}", record=state,
                fields=_fields(state), history=s.history.events(user, aggregate_id), as_of=on)  # fmt: skip


@router.get("/audit/export")
def audit_export(request: Request) -> Response:
    user = signed_in(request, {Role.AUDITOR, Role.EXECUTIVE, Role.DEPUTY, Role.CLERK})
    s = svc(request)
    lines = list(s.oversight.export(user))
    for org in user.org_codes:
        s.oversight.record_access(user, org, "web/export", request.query_params.get("reason", ""))
    return StreamingResponse(
        iter(line + "\n" for line in lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="prongsai-log.jsonl"'},
    )


# -- public portal ------------------------------------------------------------------------------


@router.get("/p/{org_code}", response_class=HTMLResponse)
def portal(org_code: str, request: Request) -> HTMLResponse:
    s = svc(request)
    organisation = s.organisations.get(org_code)
    published = [m for m in s.measures.list(org_code) if m.published]
    start, end = date(2000, 1, 1), s.complaints.today()
    return page(
        request,
        "portal.html",
        organisation=organisation,
        published=published,
        register=s.authority.register(org_code),
        notices=s.procurements.register_of_notices(org_code)[:30],
        stats=s.complaints.statistics(org_code, start, end),
        today=s.measures.today(),
    )


@router.get("/p/{org_code}/complaint", response_class=HTMLResponse)
def complaint_form(org_code: str, request: Request) -> HTMLResponse:
    organisation = svc(request).organisations.get(org_code)
    return page(request, "complaint_form.html", organisation=organisation, values={})


@router.post("/p/{org_code}/complaint", response_class=HTMLResponse)
async def complaint_submit(org_code: str, request: Request) -> HTMLResponse:
    s = svc(request)
    organisation = s.organisations.get(org_code)
    form = await form_of(request)
    who = {"name": form.get("name", ""), "phone": form.get("phone", "")}
    try:
        c, code = s.complaints.submit(
            org_code,
            "web",
            str(form.get("category", "general")),
            str(form.get("subject", "")),
            str(form.get("description", "")),
            str(form.get("location", "")),
            who if any(who.values()) else None,
        )
    except DomainError as exc:
        return page(request, "complaint_form.html", http_status=422, organisation=organisation, values=form,
                    error=message(request, exc))  # fmt: skip
    return page(request, "complaint_done.html", organisation=organisation, c=c, code=code)


@router.api_route("/track", methods=["GET", "POST"], response_class=HTMLResponse)
async def track(request: Request) -> HTMLResponse:
    result, error = None, ""
    if request.method == "POST":
        form = await form_of(request)
        try:
            from interface.api.routers.complaints import check_lookup_rate

            check_lookup_rate(request, svc(request))
            result = svc(request).complaints.track(str(form.get("code", "")).strip())
        except DomainError as exc:
            error = message(request, exc)
    template = "track_result.html" if request.headers.get("HX-Request") else "track.html"
    return page(request, template, result=result, error=error, state_thai=STATE_THAI)


# -- wiring -------------------------------------------------------------------------------------


def fonts(name: str) -> FileResponse:
    path = SARABUN / "files" / f"{name}.ttf"
    if name not in ("Sarabun-Regular", "Sarabun-Bold") or not path.exists():
        raise NotFound("ไม่พบแบบอักษร", "no such font")
    return FileResponse(path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})


def install(app: FastAPI, session_secret: str) -> None:
    """Mount the web pages on the API application (errors on pages render as pages)."""
    app.add_middleware(
        SessionMiddleware, secret_key=session_secret, same_site="lax", https_only=False, max_age=8 * 3600
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_api_route("/fonts/{name}.ttf", fonts, include_in_schema=False)
    app.include_router(router)


def html_error(request: Request, exc: DomainError, status: int) -> Response:
    """Errors on web pages: sign-in redirects for GET, otherwise a page with the message in Thai/English."""
    if isinstance(exc, NotAuthenticated) and request.method == "GET":
        return RedirectResponse("/login", status_code=303)
    return page(request, "error.html", http_status=status, error=message(request, exc))
