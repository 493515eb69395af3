"""OCDS publication: one release per notice, frozen at its notice's event, and the packages around them.

A release is the procurement *as it stood right after its notice was recorded* — never today's
state — and its ``date`` is that event's full timestamp (Bangkok time). Packages take their
``publishedDate`` from the newest release they hold, so a package for a closed month (or for a
procurement with no new notices) is reproduced byte for byte whenever it is asked for again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.history import event_type
from application.ports import CompileRecord
from application.store import Prongsai
from domain.clock import BANGKOK, business_date
from domain.errors import InvalidInput, NotFound
from domain.plan import Organisation
from domain.procurement import METHOD_THAI, Method, Procurement

OCDS_VERSION = "1.1"
OCDS_METHOD = {
    Method.E_BIDDING: "open",
    Method.E_MARKET: "open",
    Method.SELECTIVE: "selective",
    Method.SPECIFIC: "limited",
}
OCDS_TAG = {
    "plan_entry": "planning",
    "reference_price": "planningUpdate",
    "invitation": "tender",
    "winner": "award",
    "contract": "contract",
    "inspection": "implementation",
    "acceptance": "implementation",
    "cancellation": "tenderCancellation",
}

Compile = CompileRecord


@dataclass(frozen=True)
class Publication:
    """Who publishes, under which licence, at which address (settings ``PRONGSAI_OCDS_*``)."""

    prefix: str = "ocds-th0000"
    publisher_name: str = ""  # empty: the organisation's own name
    publisher_uri: str = ""
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    publication_policy: str = ""
    base_url: str = "http://127.0.0.1:8000"


def money(satang: int) -> dict[str, Any]:
    amount = satang // 100 if satang % 100 == 0 else satang / 100
    return {"amount": amount, "currency": "THB"}


def moment(day: date, end: bool = False) -> str:
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}+07:00"


def released_on(release: dict[str, Any]) -> date:
    return business_date(datetime.fromisoformat(release["date"]))


def month_bounds(month: str) -> tuple[date, date]:
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InvalidInput("เดือนต้องอยู่ในรูป YYYY-MM", "month must be YYYY-MM") from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


class OcdsPublisher:
    def __init__(self, app: Prongsai, procurements: Any, compile_record: Compile, publication: Publication) -> None:
        self.app = app
        self.procurements = procurements
        self.compile_record = compile_record
        self.publication = publication

    # -- releases ----------------------------------------------------------------------------

    def notice_states(self, procurement_id: UUID) -> Iterator[tuple[Procurement, dict[str, Any], datetime]]:
        """The procurement right after each notice: one replay, yielding at every ``NoticeIssued``."""
        aggregate: Any = None
        for e in self.app.stored_events(procurement_id):
            aggregate = e.mutate(aggregate)
            if event_type(e) == "NoticeIssued":
                yield aggregate, aggregate.notices[-1], e.timestamp

    def releases(self, procurement_id: UUID, until: datetime | None = None) -> list[dict[str, Any]]:
        """Every notice as an OCDS release as of its own event (optionally only those up to ``until``)."""
        self.procurements.get(None, procurement_id)  # 404 for an unknown id
        found = []
        for p, notice, at in self.notice_states(procurement_id):
            if until is not None and at >= until:
                break
            found.append(self.release(p, notice, at))
        return found

    def organisation_name(self, org_code: str, at: datetime) -> str:
        org_id = Organisation.create_id(org_code)
        return self.app.load(Organisation, org_id, version=self.app.version_at(org_id, at)).name

    def ocid(self, p: Procurement) -> str:
        return f"{self.publication.prefix}-{p.org_code}-{p.project_no}"

    def release(self, p: Procurement, n: dict[str, Any], at: datetime) -> dict[str, Any]:
        buyer = {"id": f"TH-DLA-{p.org_code}", "name": self.organisation_name(p.org_code, at)}
        release: dict[str, Any] = {
            "ocid": self.ocid(p),
            "id": f"{p.project_no}-{n['no']:02d}",
            "date": at.astimezone(BANGKOK).isoformat(),
            "tag": [OCDS_TAG[n["kind"]]],
            "initiationType": "tender",
            "language": "th",
            "buyer": buyer,
            "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}],
            "planning": {"budget": {"amount": money(p.budget_satang), "description": f"ปีงบประมาณ {p.fiscal_year}"}},
            "tender": {
                "id": p.project_no,
                "title": p.subject,
                "procurementMethod": OCDS_METHOD[p.method],
                "procurementMethodDetails": METHOD_THAI[p.method],
                "status": "planning",
            },
        }
        d, tender = n["details"], release["tender"]
        if n["kind"] == "reference_price":
            tender["value"] = money(d["price_satang"])
            tender["status"] = "planned"
        elif n["kind"] == "invitation":
            tender["status"] = "active"
            tender["tenderPeriod"] = {"startDate": moment(d["opens_on"]), "endDate": moment(d["closes_on"], end=True)}
        elif n["kind"] in ("winner", "contract", "inspection", "acceptance") and p.winner:
            self.award(release, p, n)
        elif n["kind"] == "cancellation":
            tender["status"] = "cancelled"
            tender["description"] = d["reason"]
        return release

    def award(self, release: dict[str, Any], p: Procurement, n: dict[str, Any]) -> None:
        w, tender = p.winner or {}, release["tender"]
        tender["status"] = "complete"
        tender["numberOfTenderers"] = len(w["bidders"])
        tender["tenderers"] = [{"id": f"bidder-{i}", "name": b["name"]} for i, b in enumerate(w["bidders"], 1)]
        for i, b in enumerate(w["bidders"], 1):
            roles = ["tenderer"] + (["supplier"] if b["name"] == w["winner"] else [])
            release["parties"].append({"id": f"bidder-{i}", "name": b["name"], "roles": roles})
        winner_id = next(f"bidder-{i}" for i, b in enumerate(w["bidders"], 1) if b["name"] == w["winner"])
        award_id = f"{p.project_no}-award"
        release["awards"] = [
            {
                "id": award_id,
                "status": "active",
                "value": money(w["agreed_satang"]),
                "suppliers": [{"id": winner_id, "name": w["winner"]}],
                "description": w["reason"],
            }
        ]
        if n["kind"] not in ("contract", "inspection", "acceptance") or not p.contract:
            return
        c = p.contract
        contract: dict[str, Any] = {
            "id": c["number"],
            "awardID": award_id,
            "status": "active",
            "value": money(c["amount_satang"]),
            "dateSigned": moment(c["signed_on"]),
        }
        if p.inspection:
            contract["implementation"] = {
                "milestones": [
                    {
                        "id": "inspection",
                        "title": f"ตรวจรับ ณ {p.inspection['place']} เวลา {p.inspection['time']}",
                        "type": "delivery",
                        "dueDate": moment(p.inspection["date"]),
                        "status": "met" if (p.outcome or {}).get("accepted") else "scheduled",
                    }
                ]
            }
        if n["kind"] == "acceptance":
            contract["status"] = "terminated" if n["details"]["accepted"] else "active"
        release["contracts"] = [contract]

    # -- records and packages ----------------------------------------------------------------

    def record(self, procurement_id: UUID, until: datetime | None = None) -> dict[str, Any]:
        """The compiled record of one procurement (``ocdsmerge`` over its releases)."""
        releases = self.releases(procurement_id, until)
        if not releases:
            raise NotFound("ยังไม่มีประกาศ", "the procurement has no notices yet")
        return {"ocid": releases[0]["ocid"], "releases": releases, "compiledRelease": self.compile_record(releases)}

    def package_meta(self, path: str, releases: list[dict[str, Any]]) -> dict[str, Any]:
        """Package metadata from the releases themselves (and settings), never from the time of asking."""
        pub = self.publication
        newest = max(releases, key=lambda r: r["date"])
        publisher: dict[str, Any] = {"name": pub.publisher_name or newest["buyer"]["name"]}
        if pub.publisher_uri:
            publisher["uri"] = pub.publisher_uri
        meta: dict[str, Any] = {
            "uri": f"{pub.base_url.rstrip('/')}{path}",
            "version": OCDS_VERSION,
            "publishedDate": newest["date"],
            "publisher": publisher,
            "license": pub.license,
        }
        if pub.publication_policy:
            meta["publicationPolicy"] = pub.publication_policy
        return meta

    def release_package(self, procurement_id: UUID) -> dict[str, Any]:
        releases = self.releases(procurement_id)
        if not releases:
            raise NotFound("ยังไม่มีประกาศ", "the procurement has no notices yet")
        path = f"/api/v1/procurements/{procurement_id}/ocds/release-package"
        return {**self.package_meta(path, releases), "releases": releases}

    def record_package(self, procurement_id: UUID) -> dict[str, Any]:
        record = self.record(procurement_id)
        path = f"/api/v1/procurements/{procurement_id}/ocds/record-package"
        return {**self.package_meta(path, record["releases"]), "records": [record]}

    def month_releases(self, org_code: str, month: str) -> tuple[list[dict[str, Any]], list[UUID], datetime]:
        first, following = month_bounds(month)
        end = datetime.combine(following, datetime.min.time(), tzinfo=BANGKOK)
        releases, ids = [], []
        for p in self.procurements.list(org_code):
            mine = [r for r in self.releases(p.id, until=end) if released_on(r) >= first]
            if mine:
                releases.extend(mine)
                ids.append(p.id)
        return sorted(releases, key=lambda r: (r["date"], r["id"])), ids, end

    def month_release_package(self, org_code: str, month: str) -> dict[str, Any]:
        releases, _, _ = self.month_releases(org_code, month)
        if not releases:
            raise NotFound(f"ไม่มีประกาศจัดซื้อจัดจ้างในเดือน {month}", f"no procurement notices in {month}")
        path = f"/api/v1/public/organisations/{org_code}/ocds/release-package?month={month}"
        return {**self.package_meta(path, releases), "releases": releases}

    def month_record_package(self, org_code: str, month: str) -> dict[str, Any]:
        """Records of the procurements with a notice in the month, each with its releases to the month's end."""
        releases, ids, end = self.month_releases(org_code, month)
        if not releases:
            raise NotFound(f"ไม่มีประกาศจัดซื้อจัดจ้างในเดือน {month}", f"no procurement notices in {month}")
        records = [self.record(i, until=end) for i in ids]
        path = f"/api/v1/public/organisations/{org_code}/ocds/record-package?month={month}"
        every = [r for record in records for r in record["releases"]]
        return {**self.package_meta(path, every), "records": records}
