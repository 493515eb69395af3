"""The desk offers exactly what the catalogue, the person's role, four eyes and their authority allow —
and says what waits for someone else. The dashboard opens on the year that has work."""

from __future__ import annotations

import re

import pytest

from domain.delegation_commands import DELEGATIONS
from domain.measure_commands import MEASURES
from domain.procurement_commands import PROCUREMENTS
from tests.world import client_for


def forms_on(html: str) -> set[str]:
    return set(re.findall(r'action="/[a-z]+/[0-9a-f-]{36}/do/([a-z-]+)"', html))


def withheld_on(html: str) -> str:
    found = re.search(r'<section class="card withheld".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture(scope="module")
def pages(town):
    svc, world, _ = town
    cache: dict[tuple[str, str], str] = {}

    def get(username: str, url: str) -> str:
        if (username, url) not in cache:
            answer = client_for(svc, username).get(url)
            assert answer.status_code == 200, (url, answer.status_code)
            cache[(username, url)] = answer.text
        return cache[(username, url)]

    return get


def test_whoever_submitted_is_not_offered_the_approval_and_is_told_why(town, pages):
    _, world, _ = town
    url = f"/measures/{world.ids['measures']['submitted']}"
    mine = pages("staff", url)  # staff submitted it
    assert not {"approve", "return"} & forms_on(mine)
    assert MEASURES["approve"].th in withheld_on(mine) and "หลักสี่ตา" in withheld_on(mine)
    head = pages("head", url)  # a division head holds no delegation over this unit
    assert not {"approve", "return"} & forms_on(head)
    assert "ไม่มีอำนาจ" in withheld_on(head)
    assert {"approve", "return"} <= forms_on(pages("mayor", url))  # the mayor's own power


def test_managers_commands_are_named_for_staff_not_offered(town, pages):
    _, world, _ = town
    page = pages("staff", f"/measures/{world.ids['measures']['completed']}")
    assert "report-result" not in forms_on(page)
    assert MEASURES["report-result"].th in withheld_on(page)


def test_a_draft_order_is_signed_by_the_power_holder_never_its_drafter(town, pages):
    _, world, _ = town
    url = f"/delegations/{world.ids['delegations']['drafted']}"
    assert forms_on(pages("clerk", url)) == set()  # the clerk drafted it
    assert DELEGATIONS["issue"].th in withheld_on(pages("clerk", url))
    assert forms_on(pages("mayor", url)) == {"issue"}
    assert forms_on(pages("staff", url)) == set()
    published = pages("mayor", f"/delegations/{world.ids['delegations']['published']}")
    assert "issue" not in forms_on(published) and {"amend", "revoke", "report"} <= forms_on(published)


def test_procurement_notices_are_offered_in_their_lawful_order(town, pages):
    _, world, _ = town
    fresh = forms_on(pages("mayor", f"/procurements/{world.ids['procurements']['registered']}"))
    assert {"plan-entry", "reference-price", "invitation", "cancel"} <= fresh
    assert not {"winner", "contract", "inspection", "acceptance"} & fresh
    invited = forms_on(pages("mayor", f"/procurements/{world.ids['procurements']['invited']}"))
    assert "winner" in invited and not {"contract", "inspection", "acceptance"} & invited
    registrar = forms_on(pages("clerk", f"/procurements/{world.ids['procurements']['registered']}"))
    assert not {c.name for c in PROCUREMENTS if c.power} & registrar  # who registered never signs


def test_an_auditor_is_offered_no_command(town, pages):
    _, world, _ = town
    for kind, records in world.ids.items():
        for record_id in records.values():
            assert forms_on(pages("auditor", f"/{kind}/{record_id}")) == set(), (kind, record_id)


def test_complaint_decisions_are_offered_to_the_power_holder_only(town, pages):
    _, world, _ = town
    url = f"/complaints/{world.ids['complaints']['received']}"
    assert {"resolve", "reject"} <= forms_on(pages("mayor", url))
    assert not {"resolve", "reject"} & forms_on(pages("staff", url))
    discipline = pages("staff", f"/complaints/{world.ids['complaints']['fact_finding']}")
    assert "conclude-fact-finding" not in forms_on(discipline)


def test_the_dashboard_opens_on_the_year_with_work_and_lists_what_waits(town, pages):
    _, world, _ = town
    mayor = pages("mayor", "/")
    assert "ปีงบประมาณ 2562" in mayor  # the bundled plan's year with work
    assert all(f'<option value="{y}"' in mayor for y in (2562, 2563, 2564))  # every year of the plan
    assert f"/measures/{world.ids['measures']['submitted']}" in mayor  # an approval the mayor may give
    assert f"/delegations/{world.ids['delegations']['drafted']}" in mayor  # an order the mayor may sign
    assert f"/complaints/{world.ids['complaints']['received']}" in mayor  # a new complaint
    staff = pages("staff", "/")
    assert f'/measures/{world.ids["measures"]["submitted"]}"' not in staff.split("h-new")[0]  # not theirs to approve
    later = pages("mayor", "/?year=2569")
    assert "ไม่มีโครงการในแผนสำหรับปีงบประมาณนี้" in later


@pytest.mark.parametrize("query", ["?year=abc", "?year=99999", "?year=-1"])
def test_a_bad_year_is_a_clear_refusal_not_a_crash(town, query):
    svc, _, _ = town
    answer = client_for(svc, "mayor").get(f"/{query}")
    assert answer.status_code == 422 and "ปีงบประมาณ" in answer.text


def test_the_working_year_is_the_latest_with_work_else_the_plan_year_nearest_today():
    from types import SimpleNamespace

    from domain.measure import Status
    from interface.web.desk import working_year

    def measure(year: int, status: Status) -> SimpleNamespace:
        return SimpleNamespace(fiscal_year=year, status=status)

    done = [measure(2562, Status.APPROVED), measure(2563, Status.PLANNED)]
    assert working_year(done, [2562, 2563, 2564], 2569) == 2562  # the bundled plan: where the work is
    assert working_year([], [2562, 2563, 2564], 2569) == 2564
    assert working_year([], [2566, 2567, 2568, 2569, 2570], 2569) == 2569
    assert working_year([], [2571, 2572], 2569) == 2571
    assert working_year([], [], 2569) == 2569


def test_an_auditor_can_export_at_any_moment_and_the_file_verifies(town):
    """Before the first hourly checkpoint, and after new events: the export seals one on demand."""
    from application.oversight import verify_export

    svc, world, people = town
    client = client_for(svc, "auditor")
    svc.projections.catch_up("chain")
    head_before = svc.projections.chain_head()[0]
    answer = client.get("/audit/export?reason=ตรวจประจำปี")
    assert answer.status_code == 200
    lines = answer.text.splitlines()
    header = __import__("json").loads(lines[0])
    assert header["checkpoint"]["position"] >= head_before  # every event up to the moment of the export
    assert verify_export(lines, svc.oversight.signature_check)["ok"]
    # The page shows the worker's last verification; it never reads the whole log while someone waits
    # (on a national log that takes minutes) unless asked to.
    audit = client.get("/audit").text
    assert "ยังไม่มีผลการตรวจสอบ" in audit and "ตรงกับจุดรับรองที่ลงนาม" not in audit
    assert "เวลากรุงเทพฯ" in audit and "ใหม่สุดก่อน" in audit
    again = client.get("/audit?verify=now").text
    assert "ตรงกับจุดรับรองที่ลงนาม" in again and "ตรวจเมื่อ" in again
    assert "ตรงกับจุดรับรองที่ลงนาม" in client.get("/audit").text  # kept: the next page shows it too


def new_form(client, url: str, command: str) -> dict[str, str]:
    page = client.get(url).text
    assert f'action="{command}"' in page, f"no form {command} on {url}"
    return {"csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1), "version": "0"}


def test_a_clerk_drafts_an_order_and_the_mayor_signs_it_on_the_desk(town):
    svc, _, people = town
    clerk = client_for(svc, "clerk")
    typed = {**new_form(clerk, "/delegations", "/delegations/new/do/draft"), "order_no": "9/2562",
             "order_date": "1/6/2562", "delegator": "mayor", "delegate": "head", "scopes.0.power": "approve",
             "scopes.0.action": "approve-measure", "scopes.0.unit": "กองคลัง", "scopes.0.ceiling_satang": "50,000",
             "valid_from": "1/6/2562", "valid_until": "", "parent_order_no": ""}  # fmt: skip
    refused = clerk.post("/delegations/new/do/draft", data={**typed, "delegate": ""})
    assert refused.status_code == 303 and refused.headers["location"] == "/delegations#error-summary"
    again = clerk.get("/delegations").text
    assert 'class="error-summary"' in again and 'value="9/2562"' in again and 'value="กองคลัง"' in again
    made = clerk.post("/delegations/new/do/draft", data=typed)
    assert made.status_code == 303
    order_url = made.headers["location"]
    order = svc.delegations.by_order("5490101", "9/2562")
    assert (
        order.drafted_by["username"] == "clerk" and order.scope_versions[0]["scopes"][0]["ceiling_satang"] == 5_000_000
    )
    mayor = client_for(svc, "mayor")
    sign = mayor.post(
        f"{order_url}/do/issue",
        data={
            **new_form(mayor, order_url, f"{order_url}/do/issue"),
            "version": str(order.version),
            "backdate_reason": "ลงนามในกระดาษ",
        },
    )
    assert (
        sign.status_code == 303 and svc.delegations.get(people.mayor, order.id).signature["by"]["username"] == "mayor"
    )


def test_acting_and_procurement_records_are_brought_in_on_the_desk(town):
    svc, _, _ = town
    clerk = client_for(svc, "clerk")
    acting = clerk.post("/acting/new/do/appoint", data={**new_form(clerk, "/delegations", "/acting/new/do/appoint"),
        "order_no": "99/2562", "acting": "deputy", "holder": "mayor", "start_day": "5/7/2562", "start_time": "08:30",
        "end_day": "6/7/2562", "reason": "ไปราชการ"})  # fmt: skip
    assert acting.status_code == 303 and acting.headers["location"].startswith("/acting/")
    record = clerk.get(acting.headers["location"]).text
    assert "5 กรกฎาคม 2562 08:30 น." in record
    staff = client_for(svc, "staff")
    form = new_form(staff, "/procurements", "/procurements/new/do/register")
    made = staff.post("/procurements/new/do/register", data={**form, "project_no": "62019000099",
        "subject": "จัดซื้อวัสดุสำนักงาน", "unit": "กองคลัง", "budget_satang": "๔๕,๐๐๐", "method": "specific",
        "fiscal_year": "", "specific_ground": ""})  # fmt: skip
    assert made.status_code == 303
    page = staff.get(made.headers["location"]).text
    assert "จัดซื้อวัสดุสำนักงาน" in page and "45,000.00 บาท" in page


def test_identities_are_read_on_the_desk_with_a_reason_that_is_recorded(town):
    svc, world, people = town
    complaint_id = world.ids["complaints"]["acknowledged"]
    url = f"/complaints/{complaint_id}"
    staff = client_for(svc, "staff")
    assert 'action="/complaints/' + str(complaint_id) + '/identity"' not in staff.get(url).text  # not theirs
    clerk = client_for(svc, "clerk")
    page = clerk.get(url).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    refused = clerk.post(f"{url}/identity", data={"csrf": token, "reason": ""})
    assert refused.status_code == 303 and "นายสมชาย" not in clerk.get(url).text
    shown = clerk.post(f"{url}/identity", data={"csrf": token, "reason": "ต้องโทรนัดตรวจสอบถนน"})
    assert shown.status_code == 200 and "นายสมชาย ร้องเรียนดี" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert "นายสมชาย" not in clerk.get(url).text  # shown on that answer only
    reads = [h for h in svc.history.events(people.auditor, complaint_id) if h["type"] == "PersonalDataRead"]
    assert reads and reads[-1]["changes"]["reason"] == "ต้องโทรนัดตรวจสอบถนน"
    disclose = new_form(clerk, url, f"{url}/do/disclose")
    version = svc.complaints.get(people.clerk, complaint_id).version
    done = clerk.post(f"{url}/do/disclose", data={**disclose, "version": str(version), "username": "staff",
                                                   "reason": "ผู้รับผิดชอบต้องติดต่อผู้ร้อง"})  # fmt: skip
    assert done.status_code == 303
    assert 'action="/complaints/' + str(complaint_id) + '/identity"' in staff.get(url).text  # now theirs to read
