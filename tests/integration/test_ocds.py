"""Published means frozen: an OCDS release is the procurement as it stood at its own notice (#10)."""

from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from domain.errors import NotFound, Unavailable
from infrastructure.bootstrap import bootstrap
from infrastructure.clock import ManualClock
from tests.conftest import OCDS, START, TODAY, test_settings
from tests.integration.test_procurements import register, run_to_contract

pytestmark = pytest.mark.store


def schema(name: str) -> dict:
    return json.loads((OCDS / name).read_text())


def validate(document: dict, name: str) -> None:
    """Validate offline: the package schemas refer to the release schema by its published URL."""
    local = [schema(n) for n in ("release-schema.json", "release-package-schema.json", "record-package-schema.json")]
    registry = Registry().with_resources(
        (s.get("id") or s.get("$id"), Resource.from_contents(s, default_specification=DRAFT4)) for s in local
    )
    jsonschema.Draft4Validator(schema(name), registry=registry).validate(document)


def test_a_release_never_changes_after_its_notice(seeded, people):
    svc = seeded
    p = run_to_contract(svc, people, register(svc, people))
    p = svc.procurements.issue(people.mayor, p.id, p.version, "inspection", "k6", inspect_on=TODAY + timedelta(days=30),
                               time="09:30", place="ชุมชนศรีบุญเรือง")  # fmt: skip
    before = json.dumps(svc.ocds.releases(p.id), ensure_ascii=False, sort_keys=True)
    inspection = svc.ocds.releases(p.id)[-1]
    assert inspection["contracts"][0]["implementation"]["milestones"][0]["status"] == "scheduled"
    [event] = [e for e in svc.app.stored_events(p.id) if e.originator_version == p.version]
    assert inspection["date"] == event.timestamp.astimezone(START.tzinfo).isoformat()  # the full moment
    assert not inspection["date"].endswith("T00:00:00+07:00")

    svc.clock.advance(days=40)
    svc.procurements.issue(people.mayor, p.id, p.version, "acceptance", "k7", accepted=True, note="")
    after = svc.ocds.releases(p.id)
    assert json.dumps(after[:-1], ensure_ascii=False, sort_keys=True) == before  # the same id, byte for byte
    assert after[-1]["contracts"][0]["implementation"]["milestones"][0]["status"] == "met"


def test_packages_carry_publisher_licence_and_a_reproducible_date(seeded, people):
    svc = seeded
    p = run_to_contract(svc, people, register(svc, people))
    release_package = svc.ocds.release_package(p.id)
    validate(release_package, "release-package-schema.json")
    assert release_package["publishedDate"] == release_package["releases"][-1]["date"]
    assert release_package["publisher"]["name"] == "เทศบาลเมืองมุกดาหาร"
    assert release_package["license"].startswith("https://") and release_package["version"] == "1.1"
    assert release_package["uri"].endswith(f"/api/v1/procurements/{p.id}/ocds/release-package")
    record_package = svc.ocds.record_package(p.id)
    validate(record_package, "record-package-schema.json")
    for release in record_package["records"][0]["releases"]:
        jsonschema.validate(release, schema("release-schema.json"), cls=jsonschema.Draft4Validator)

    month = TODAY.strftime("%Y-%m")
    monthly = svc.ocds.month_release_package("5490101", month)
    assert [r["id"] for r in monthly["releases"]] == [r["id"] for r in release_package["releases"]]
    frozen = json.dumps(svc.ocds.month_record_package("5490101", month), sort_keys=True)
    svc.clock.advance(days=40)  # next month: a notice then does not touch June's packages
    p = svc.app.load(type(p), p.id)
    svc.procurements.issue(people.mayor, p.id, p.version, "cancellation", "x", reason="ยกเลิกโครงการ")
    assert json.dumps(svc.ocds.month_record_package("5490101", month), sort_keys=True) == frozen
    with pytest.raises(NotFound):
        svc.ocds.month_release_package("5490101", "2019-01")


def test_a_missing_schema_is_a_clear_503_never_a_download(store_url, tmp_path, seed_text):
    from fastapi.testclient import TestClient

    from domain.people import Role
    from infrastructure.plan_parser import parse_plan
    from interface.api.app import create_app

    svc = bootstrap(test_settings(store_url, tmp_path, ocds_schema=tmp_path / "absent.json"), ManualClock(START))
    try:
        svc.plans.import_plan(parse_plan(seed_text), "5490101")
        clerk, _ = svc.users.add("clerk", "ปลัด", Role.CLERK, ["5490101"])
        p, _ = svc.procurements.register(clerk, "5490101", "660190001", "วัสดุ", "สำนักปลัด", 9_000_00, "specific")
        mayor, _ = svc.users.add("mayor", "นายก", Role.EXECUTIVE, ["5490101"])
        svc.procurements.issue(mayor, p.id, p.version, "plan_entry", "k", planned_month="2019-07")
        with pytest.raises(Unavailable) as refused:
            svc.ocds.record(p.id)
        assert "prongsai ocds schema" in refused.value.en and "prongsai ocds schema" in refused.value.th
        response = TestClient(create_app(svc)).get(f"/api/v1/procurements/{p.id}/ocds/record")
        assert response.status_code == 503 and response.json()["code"] == "unavailable"
        assert len(svc.ocds.releases(p.id)) == 1  # releases and release packages need no schema
    finally:
        svc.close()
