"""The public portal: what the law says must be public, the complaint form and case tracking.

Nothing here needs a sign-in, and nothing here shows personal data."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from domain.complaint import STATE_THAI
from domain.errors import DomainError, NotFound
from domain.thai import fiscal_year_of
from interface.api.deps import check_lookup_rate, store_work
from interface.api.errors import status_of
from interface.web.pages import check_form_token, message, page, posted_public, svc, year_param

router = APIRouter(include_in_schema=False)


@router.get("/p/{org_code}", response_class=HTMLResponse)
@store_work
def portal(org_code: str, request: Request) -> HTMLResponse:
    s = svc(request)
    organisation = s.organisations.get(org_code)
    published = s.measures.published(org_code)
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
        packs=s.ita.years(org_code),
    )


@router.get("/p/{org_code}/plan", response_class=HTMLResponse)
@store_work
def public_plan(org_code: str, request: Request) -> HTMLResponse:
    """The anti-corruption plan as the law says it must be public (ITA O36): every measure by dimension
    and mission for a fiscal year, with its unit, budget and where it stands."""
    s = svc(request)
    organisation = s.organisations.get(org_code)
    plans = s.measures.plans(org_code)
    plan = plans[-1] if plans else None
    years = plan.fiscal_years if plan else []
    default = min(years, key=lambda y: abs(y - fiscal_year_of(s.measures.today()))) if years else 0
    year = year_param(request, default)
    measures = s.measures.list(org_code, year) if plan else []
    return page(request, "public_plan.html", organisation=organisation, plan=plan, years=years, year=year,
                measures=measures)  # fmt: skip


@router.get("/p/{org_code}/measures/{measure_id:uuid}", response_class=HTMLResponse)
@store_work
def public_measure_page(org_code: str, measure_id: UUID, request: Request) -> HTMLResponse:
    """One measure: what it is for, its steps and KPIs, its budget and disbursement, its evidence and
    result — and no one's personal details."""
    s = svc(request)
    organisation = s.organisations.get(org_code)
    measure = s.measures.public(org_code, measure_id)
    return page(request, "public_measure.html", organisation=organisation, m=measure)


@router.get("/p/{org_code}/ita/{year}", response_class=HTMLResponse)
@store_work
def ita_pack_page(org_code: str, year: int, request: Request) -> HTMLResponse:
    """The ITA evidence pack as assessors read it: every OIT item with the URL to paste into the
    assessment form, its documents, their SHA-256 and the proof under the signed checkpoint."""
    s = svc(request)
    organisation = s.organisations.get(org_code)
    return page(request, "ita.html", organisation=organisation, index=s.ita.latest(org_code, year), only=None)


@router.get("/p/{org_code}/ita/{year}/{item}", response_class=HTMLResponse)
@store_work
def ita_item_page(org_code: str, year: int, item: str, request: Request) -> HTMLResponse:
    """One OIT item of the pack: the page whose URL goes into the assessment form."""
    s = svc(request)
    organisation = s.organisations.get(org_code)
    index = s.ita.latest(org_code, year)
    if not any(entry["item"] == item for entry in index["items"]):
        raise NotFound(f"ไม่มีข้อ {item[:10]} ในชุดหลักฐานปี {year}", f"item {item[:10]} is not in the {year} pack")
    return page(request, "ita.html", organisation=organisation, index=index, only=item)


@router.get("/checkpoints", response_class=HTMLResponse)
@store_work
def checkpoints_page(request: Request) -> HTMLResponse:
    """The signed checkpoints (tree heads) anyone can keep, with the consistency proof between each
    and the one before: the log only grew."""
    s = svc(request)
    return page(request, "checkpoints.html", checkpoints=list(reversed(s.oversight.checkpoints())))


@router.get("/p/{org_code}/complaint", response_class=HTMLResponse)
@store_work
def complaint_form(org_code: str, request: Request) -> HTMLResponse:
    organisation = svc(request).organisations.get(org_code)
    # ?category=misconduct opens the corruption channel (ITA O28 links to it): the only value taken from the URL
    chosen = {"category": "misconduct"} if request.query_params.get("category") == "misconduct" else {}
    return page(request, "complaint_form.html", organisation=organisation, values=chosen)


@router.post("/p/{org_code}/complaint", response_class=HTMLResponse)
async def complaint_submit(org_code: str, request: Request) -> HTMLResponse:
    form = {k: v for k, v in (await request.form()).multi_items()}
    return await svc(request).runner.run(file_complaint, org_code, request, form)


def file_complaint(org_code: str, request: Request, form: dict[str, Any]) -> HTMLResponse:
    """Everything typed comes back after a refusal (the category, name and phone too), with the problem
    named and linked to its field; an expired form loses nothing either."""
    s = svc(request)
    organisation = s.organisations.get(org_code)
    who = {key: str(form.get(key, "")).strip() for key in ("name", "phone", "email")}
    try:
        check_form_token(request, form)
        c, code = s.complaints.submit(
            org_code,
            "web",
            str(form.get("category", "general")),
            str(form.get("subject", "")),
            str(form.get("description", "")),
            str(form.get("location", "")),
            who if any(who.values()) else None,
            updates_by_email=bool(form.get("updates_by_email")),
        )
    except DomainError as exc:
        return page(request, "complaint_form.html", http_status=status_of(exc), organisation=organisation,
                    values=form, error=message(request, exc), field=complaint_field(exc))  # fmt: skip
    return page(request, "complaint_done.html", organisation=organisation, c=c, code=code)


def complaint_field(exc: DomainError) -> str:
    """The form field a refusal is about, so the error summary can link to it."""
    text = exc.en.lower()
    for field in ("subject", "description", "location", "category", "e-mail"):
        if field in text:
            return field.replace("-", "")
    return ""


@router.api_route("/track", methods=["GET", "POST"], response_class=HTMLResponse)
async def track(request: Request) -> HTMLResponse:
    form = await posted_public(request) if request.method == "POST" else None
    return await svc(request).runner.run(track_case, request, form)


def track_case(request: Request, form: dict[str, Any] | None) -> HTMLResponse:
    result, error = None, ""
    if form is not None:
        try:
            check_lookup_rate(request, svc(request))
            result = svc(request).complaints.track(str(form.get("code", "")).strip())
        except DomainError as exc:
            error = message(request, exc)
    template = "track_result.html" if request.headers.get("HX-Request") else "track.html"
    return page(request, template, result=result, error=error, state_thai=STATE_THAI)
