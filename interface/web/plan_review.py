"""The clerk's review of a plan file: upload, read every item beside the lines it came from with the
parser's warnings marked, correct what was misread (with a reason), import.

The reading and the recording are the application's (``PlanReviews``); these pages only show and post.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from application.plans import PLAN_IMPORTERS, review_fields, shown
from domain.errors import DomainError
from domain.plan import PlanDocument
from interface.api.deps import store_work
from interface.web.i18n import translate
from interface.web.pages import flash, lang, message, page, posted, posted_file, signed_in, svc

router = APIRouter(include_in_schema=False)
MOST_LINES = 80  # of one item's source shown beside it


@router.get("/plan/import", response_class=HTMLResponse)
@store_work
def upload_page(request: Request) -> Response:
    user = signed_in(request, PLAN_IMPORTERS)
    error = request.session.pop("plan_import_error", "")
    return page(request, "plan_import.html", user=user, orgs=user.org_codes, error=error)


@router.post("/plan/import", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    form, filename, data = await posted_file(request, "plan")
    return await svc(request).runner.run(read_upload, request, str(form.get("org", "")), filename, data)


def read_upload(request: Request, org_code: str, filename: str, data: bytes) -> Response:
    user = signed_in(request, PLAN_IMPORTERS)
    try:
        draft_id = svc(request).plan_reviews.start(user, org_code or user.org_codes[0], filename, data)
    except DomainError as exc:
        request.session["plan_import_error"] = message(request, exc)
        return RedirectResponse("/plan/import", status_code=303)
    return RedirectResponse(f"/plan/import/{draft_id}", status_code=303)


def items_for_review(doc: PlanDocument, lines: list[str]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Each item with its source lines, the warnings that fall in them, and its fields as the form shows
    them; and the warnings about the document as a whole."""
    starts = sorted(m.line for m in doc.measures)
    placed: set[int] = set()
    items = []
    for item in doc.measures:
        following = [s for s in starts if s > item.line]
        end = min(following[0] - 1 if following else len(lines), item.line + MOST_LINES - 1)
        mine = [
            (i, w) for i, w in enumerate(doc.warnings)
            if item.line <= w.line <= end or f"item {item.code}" in w.message
        ]  # fmt: skip
        placed.update(i for i, _ in mine)
        warned_lines = {w.line for _, w in mine}
        items.append({
            "item": item,
            "source": [(n, lines[n - 1], n in warned_lines) for n in range(item.line, end + 1) if 0 < n <= len(lines)],
            "warnings": [w for _, w in mine],
            "fields": [(f, shown(item, f)) for f in review_fields(doc)],
        })  # fmt: skip
    general = [w for i, w in enumerate(doc.warnings) if i not in placed]
    return items, general


@router.get("/plan/import/{draft_id}", response_class=HTMLResponse)
@store_work
def review_page(draft_id: str, request: Request) -> Response:
    user = signed_in(request, PLAN_IMPORTERS)
    draft, doc, lines = svc(request).plan_reviews.open(user, draft_id)
    items, general = items_for_review(doc, lines)
    error = request.session.pop("plan_review_error", "")
    return page(request, "plan_review.html", user=user, draft=draft, doc=doc, items=items, general=general,
                error=error, typed=request.session.pop("plan_review_typed", {}))  # fmt: skip


@router.post("/plan/import/{draft_id}", response_class=HTMLResponse)
async def finish(draft_id: str, request: Request) -> Response:
    form = await posted(request)
    return await svc(request).runner.run(import_reviewed, draft_id, request, form)


def import_reviewed(draft_id: str, request: Request, form: dict[str, Any]) -> Response:
    """Post, redirect, get: on success the plan; on a refusal the review again, with what was typed."""
    user = signed_in(request, PLAN_IMPORTERS)
    typed = {k[6:]: str(v) for k, v in form.items() if k.startswith("field:")}
    reasons = {k[7:]: str(v) for k, v in form.items() if k.startswith("reason:")}
    try:
        result = svc(request).plan_reviews.finish(user, draft_id, typed, reasons)
    except DomainError as exc:
        request.session["plan_review_error"] = message(request, exc)
        request.session["plan_review_typed"] = {**typed, **{f"reason:{k}": v for k, v in reasons.items()}}
        return RedirectResponse(f"/plan/import/{draft_id}#error-summary", status_code=303)
    flash(request, f"{translate(lang(request), 'นำเข้าแผนแล้ว')} {result.plan_key}")
    return RedirectResponse(f"/plan?org={result.org_code}", status_code=303)
