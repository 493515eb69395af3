"""The red-flag register on the web: every flag of the organisation with its rule in words, what it saw,
the signer's note or "found across procurements", filtered by rule, unit and fiscal year; and what the
organisation imported about firms (company facts, the debarment list), with the import form for the desk.

The flags and imports are the application's (``Oversight.red_flags``, ``Suppliers``); this only shows and posts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.catalogue import DESK
from domain.errors import DomainError, InvalidInput, NotFound
from domain.people import Role
from domain.red_flags import RULE_TITLES
from domain.suppliers import KIND_EN, KIND_THAI
from domain.thai import be_year
from interface.api.deps import store_work
from interface.web.auditor import READERS
from interface.web.pages import flash, lang, message, page, posted_file, signed_in, svc
from interface.web.present import day_text, moment_text

router = APIRouter(include_in_schema=False)
VIEWERS = READERS  # as the API's register: the executives and the auditors


def year_param(request: Request) -> int | None:
    text = request.query_params.get("fiscal_year", "").strip()
    if not text:
        return None
    if not text.isdigit() or not 2500 <= int(text) <= 2700:
        raise InvalidInput("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2562", "the fiscal year must be a Buddhist Era year, e.g. 2562")
    return int(text)


@router.get("/red-flags", response_class=HTMLResponse)
@store_work
def register(request: Request) -> HTMLResponse:
    user = signed_in(request, VIEWERS)
    s, q, language = svc(request), request.query_params, lang(request)
    org = q.get("org") or user.org_codes[0]
    if not user.may_see(org):
        raise NotFound("ไม่พบหน่วยงาน", "organisation not found")
    rule = q.get("rule") or None
    if rule is not None and rule not in RULE_TITLES:
        raise InvalidInput("ไม่มีข้อสังเกตชื่อนี้", f"there is no red-flag rule '{rule}'")
    fiscal_year, unit = year_param(request), (q.get("unit") or "").strip() or None
    found = s.oversight.red_flags([org], rule, unit, fiscal_year)
    if user.role is Role.AUDITOR:
        s.oversight.record_access(user, org, "web/red-flags", q.get("reason", ""))
    desk = user.role is not Role.AUDITOR
    flags = [
        {
            "when": moment_text(datetime.fromisoformat(f["ts"]), language),
            "project_no": f["project_no"],
            "subject": f["subject"],
            "unit": f["unit"],
            "fiscal_year": f["fiscal_year"],
            "title": f["rule_en"] if language == "en" else f["rule_th"],
            "message": f["message_en"] if language == "en" else f["message_th"],
            "note": f["acknowledgement"],
            "pattern": f["source"] == "pattern",
            "record": f"/procurements/{f['procurement_id']}" if desk else f"/audit/aggregate/{f['procurement_id']}",
            "release": f"/api/v1/procurements/{f['procurement_id']}/ocds/releases",
            "release_id": f["evidence"]["ocds_release_id"],
        }
        for f in found
    ]
    counts: dict[str, int] = {}
    for f in found:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    titles = {code: (en if language == "en" else th) for code, (th, en) in RULE_TITLES.items()}
    facts = s.suppliers.summary(user, org)
    kinds = {kind: KIND_EN[kind] if language == "en" else th for kind, th in KIND_THAI.items()}
    imports = [
        {"kind": kinds[kind], "file": i["file_name"], "rows": i["rows"], "sha256": i["sha256"],
         "on": day_text(i["imported_on"], language), "by": i["by"]} if i else {"kind": kinds[kind]}
        for kind in KIND_THAI for i in [facts[kind]]
    ]  # fmt: skip
    beside = s.cardinal.readiness([org], fiscal_year)
    cardinal = [
        {"code": i["indicator"], "title": i["title"] if language == "en" else i["title_th"],
         "computable": i["computable"],
         "fields": [(path, n) for path, n in i["fields"].items()], "procurements": beside["procurements"],
         "rules": [(r["rule_en"] if language == "en" else r["rule_th"], r["raised"]) for r in i["rules"]]}
        for i in beside["indicators"]
    ]  # fmt: skip
    years = sorted({f["fiscal_year"] for f in found} | {be_year(s.clock.now().year)}, reverse=True)
    return page(request, "red_flags.html", user=user, org_code=org, flags=flags, counts=counts, titles=titles,
                q=q, imports=imports, debarred=facts["debarred"], warnings=facts["warnings"], years=years,
                may_import=user.role in DESK, kinds=kinds, error=request.session.pop("supplier_error", ""),
                behind=s.oversight.index_behind("red_flag_patterns"), cardinal=cardinal,
                cardinal_warnings=beside["warnings"])  # fmt: skip


@router.post("/red-flags/import", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    form, filename, data = await posted_file(request)
    org, kind = str(form.get("org", "")), str(form.get("kind", ""))
    return await svc(request).runner.run(record_upload, request, org, kind, filename, data)


def record_upload(request: Request, org: str, kind: str, filename: str, data: bytes) -> Response:
    user = signed_in(request, DESK)
    org = org or user.org_codes[0]
    back = f"/red-flags?{urlencode({'org': org})}"
    try:
        done: dict[str, Any] = svc(request).suppliers.import_file(user, org, kind, filename, data)
    except DomainError as exc:
        request.session["supplier_error"] = message(request, exc)
        return RedirectResponse(f"{back}#import", status_code=303)
    rows = done[kind]["rows"] if done.get(kind) else 0
    flash(request, (f"นำเข้า{KIND_THAI[kind]} {rows:,} รายการแล้ว" if lang(request) == "th"
                    else f"imported {rows:,} rows of {kind}"))  # fmt: skip
    return RedirectResponse(back, status_code=303)
