"""Procurement over HTTP: Thai-digit money, notices, channels, the public register and สขร.๑."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from interface.api.app import create_app
from tests.conftest import ORG, TODAY

pytestmark = pytest.mark.store


@pytest.fixture
def api(seeded, people):
    return people.caller(TestClient(create_app(seeded)))


def ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def test_procurement_over_http(api, seeded):
    body = {"project_no": "66019000001", "subject": "จัดซื้อครุภัณฑ์คอมพิวเตอร์", "unit": "กองคลัง",
            "budget": "๔๘๐,๐๐๐.๐๐", "method": "specific", "planned": {"award": "2019-07-15"}}  # fmt: skip
    p = ok(api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk", json=body), 201)
    assert p["budget_satang"] == 48_000_000 and p["planned"] == {"award": "2019-07-15"}
    assert ok(api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk", json=body))["id"] == p["id"]
    assert (
        api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk", json={**body, "budget": 480000.5}).status_code
        == 422
    )
    assert api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk",
               json={**body, "project_no": "x2", "budget": "600,000"}).status_code == 409  # fmt: skip

    url = f"/api/v1/procurements/{p['id']}"
    v = p["version"]
    too_high = {"version": v, "price_satang": "500,000", "source": "market_survey"}  # above the 480,000 budget
    shown = ok(api("POST", f"{url}/notices/reference_price/red-flags", "mayor", json=too_high))
    assert [f["rule"] for f in shown] == ["reference-above-budget"]
    assert shown[0]["numbers"] == {"reference_satang": 50_000_000, "budget_satang": 48_000_000}
    refused = api("POST", f"{url}/notices/reference_price", "mayor", json=too_high)  # signed without a note
    assert refused.status_code == 422 and refused.json()["code"] == "red-flags-to-acknowledge"
    assert refused.json()["red_flags"] == shown and "ราคากลางสูงกว่างบประมาณ" in refused.json()["message_th"]
    assert ok(api("GET", url, "mayor"))["version"] == v  # nothing was written
    v = ok(api("POST", f"{url}/notices/reference_price", "mayor",
               json={"version": v, "price_satang": "470,000", "source": "market_survey"}))["version"]  # fmt: skip
    winner = {"version": v, "idempotency_key": "award-1", "winner": "บจก.ไอทีมุกดา", "agreed_satang": 46_500_000,
              "bidders": [{"name": "บจก.ไอทีมุกดา", "price_satang": "๔๖๕,๐๐๐"}], "reason": "ราคาเหมาะสม"}  # fmt: skip
    after = ok(api("POST", f"{url}/notices/winner", "mayor", json=winner))
    again = ok(api("POST", f"{url}/notices/winner", "mayor", json=winner))  # duplicate submission
    assert again["version"] == after["version"] and len(again["notices"]) == 2
    assert after["warnings"] == []  # one firm, by the specific method: what the method is, not a red flag
    assert api("POST", f"{url}/notices/contract", "mayor", json={"version": after["version"]}).status_code == 422
    assert (
        api(
            "POST",
            f"{url}/notices/winner",
            "staff",
            json={**winner, "version": after["version"], "idempotency_key": "x"},
        ).status_code
        == 409  # a winner is announced already: the record's state answers first, whoever asks
    )
    refused = api("POST", f"{url}/notices/cancellation", "staff",
                  json={"version": after["version"], "idempotency_key": "c", "reason": "ยกเลิก"})  # fmt: skip
    assert refused.status_code == 403 and refused.json()["code"] == "no-authority"
    v = after["version"]
    for channel in ("website", "egp"):
        v = ok(api("POST", f"{url}/notices/2/publications", "staff", json={"version": v, "channel": channel}))[
            "version"
        ]
    notices = ok(api("GET", f"/api/v1/public/organisations/{ORG}/procurement-notices"))
    assert notices[0]["kind"] == "winner" and notices[0]["published"] and notices[0]["channels"] == ["egp", "website"]
    month = TODAY.strftime("%Y-%m")
    summary = ok(api("GET", f"/api/v1/public/organisations/{ORG}/procurement-summary?month={month}"))
    assert summary["items"][0]["winner"] == "บจก.ไอทีมุกดา"
    xlsx = api("GET", f"/api/v1/public/organisations/{ORG}/procurement-summary?month={month}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    record = ok(api("GET", f"{url}/ocds/record"))
    assert record["compiledRelease"]["awards"][0]["suppliers"][0]["name"] == "บจก.ไอทีมุกดา"
    assert api("GET", f"/api/v1/procurements/{seeded.organisations.get(ORG).id}", "staff").status_code == 404


def test_the_red_flag_register_over_http(api):
    body = {"project_no": "66019000077", "subject": "จ้างซ่อมถนน", "unit": "กองช่าง", "budget": "400,000",
            "method": "specific"}  # fmt: skip
    p = ok(api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk", json=body), 201)
    note = "ราคากลางตามราคาวัสดุที่ปรับขึ้น ขอเพิ่มงบแล้ว"
    price = {"version": p["version"], "price_satang": "420,000", "source": "market_survey", "acknowledgement": note}
    ok(api("POST", f"/api/v1/procurements/{p['id']}/notices/reference_price", "mayor", json=price))
    mine = ok(api("GET", f"/api/v1/organisations/{ORG}/red-flags?reason=x", "auditor"))
    assert [(f["rule"], f["rule_th"], f["acknowledgement"], f["notice"]) for f in mine] == [
        ("reference-above-budget", "ราคากลางสูงกว่างบประมาณ", note, 1)]  # fmt: skip
    assert mine[0]["numbers"] == {"budget_satang": 40_000_000, "reference_satang": 42_000_000}
    assert mine[0]["evidence"]["ocds_release_id"] == "66019000077-01"
    assert ok(api("GET", "/api/v1/audit/red-flags?rule=reference-above-budget", "auditor")) == mine
    assert ok(api("GET", f"/api/v1/organisations/{ORG}/red-flags?rule=single-bidder", "mayor")) == []
    assert api("GET", f"/api/v1/organisations/{ORG}/red-flags", "staff").status_code == 403
    assert api("GET", f"/api/v1/organisations/{ORG}/red-flags", "outsider").status_code == 404


def test_company_facts_and_the_debarment_list_are_imported_from_files_and_flag_the_winner_notice(api, seeded):
    import base64

    from tests.unit.test_red_flags import TAX_IDS

    def upload(kind: str, text: str, who: str = "clerk"):
        body = {"filename": f"{kind}.csv", "content_base64": base64.b64encode(text.encode("utf-8-sig")).decode()}
        return api("POST", f"/api/v1/organisations/{ORG}/suppliers/{kind}", who, json=body)

    before = seeded.app.recorder.max_notification_id()
    bad = upload("debarments", f"เลขประจำตัวผู้เสียภาษี,ชื่อผู้ทิ้งงาน\n{TAX_IDS[0]},หจก.ก\n1234,หจก.ข\n")
    assert bad.status_code == 422 and "แถว 3" in bad.json()["message_th"] and "row 3" in bad.json()["message_en"]
    assert seeded.app.recorder.max_notification_id() == before  # refused: nothing written
    summary = ok(api("GET", f"/api/v1/organisations/{ORG}/suppliers", "auditor"))
    assert summary["debarments"] is None and summary["warnings"]
    assert upload("debarments", "tax_id,name\n", "outsider").status_code == 404

    listed = ok(upload("debarments", f"tax_id,name,listed_on,reference\n{TAX_IDS[2]},หจก.ทิ้งงาน,1/2/2562,ว 12\n"))
    assert listed["debarments"]["rows"] == 1 and len(listed["debarments"]["sha256"]) == 64
    assert listed["debarred"] == [{"tax_id": TAX_IDS[2], "name": "หจก.ทิ้งงาน", "listed_on": "2019-02-01",
                                   "reference": "ว 12"}]  # fmt: skip
    firms = "\n".join(f"{t},บริษัท {i},{'1 ถ.ชยางกูร' if i < 2 else f'{i} ถ.สองนาง'},นาย ก {i}"
                      for i, t in enumerate(TAX_IDS))  # fmt: skip
    assert ok(upload("companies", "tax_id,name,address,directors\n" + firms))["firms"] == 4

    body = {"project_no": "66019000078", "subject": "จ้างซ่อมถนน", "unit": "กองช่าง", "budget": "400,000",
            "method": "specific"}  # fmt: skip
    p = ok(api("POST", f"/api/v1/organisations/{ORG}/procurements", "clerk", json=body), 201)
    bids = [{"name": f"บริษัท {i}", "price_satang": f"{390_000 + i * 5_000:,}", "tax_id": TAX_IDS[i]} for i in range(3)]
    winner = {"version": p["version"], "winner": "บริษัท 0", "agreed_satang": "390,000", "bidders": bids,
              "reason": "ราคาต่ำสุด"}  # fmt: skip
    flags = ok(api("POST", f"/api/v1/procurements/{p['id']}/notices/winner/red-flags", "mayor", json=winner))
    assert [f["rule"] for f in flags] == ["linked-bidders", "debarred-bidder"]
    refused = api("POST", f"/api/v1/procurements/{p['id']}/notices/winner", "mayor", json=winner)
    assert refused.status_code == 422 and refused.json()["code"] == "red-flags-to-acknowledge"
    signed = ok(api("POST", f"/api/v1/procurements/{p['id']}/notices/winner", "mayor",
                    json={**winner, "acknowledgement": "ตรวจสอบแล้ว ผู้ทิ้งงานไม่ได้รับเลือก"}))  # fmt: skip
    assert signed["notices"][-1]["details"]["bidders"][2]["tax_id"] == TAX_IDS[2]
    register = ok(api("GET", f"/api/v1/organisations/{ORG}/red-flags", "auditor"))
    assert {f["rule"] for f in register} == {"linked-bidders", "debarred-bidder"}
