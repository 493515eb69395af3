"""Every page a person reaches, for every aggregate in every state, speaks in human terms.

The world (tests/world.py) holds a record of each aggregate in each state; each page is rendered for
the roles that use it, in Thai and in English, and its visible text is searched for what a program would
print and a person would not: Python reprs, enum names, raw dicts, event class names, snake_case codes,
money in satang and Gregorian ISO dates.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from domain.people import Role
from tests.conftest import ORG
from tests.world import World, client_for

SATANG = ("145000000", "146000000", "148000000", "150000000", "5000000")
PROGRAM_OUTPUT = [
    ("a Python None", re.compile(r"\bNone\b")),
    ("a date or datetime repr", re.compile(r"\b(datetime\.)?(date|datetime)\(\d")),
    ("a UUID repr", re.compile(r"UUID\(")),
    ("a raw dict or list", re.compile(r"\{'|\['|': ")),
    ("an enum name", re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z][A-Z_]{2,}\b")),
    ("an event class name", re.compile(r"\b(?!PostgreSQL|JavaScript)[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")),
    ("a snake_case code", re.compile(r"(?<![/\w.-])[a-z]+_[a-z_]+\b(?![/\w.-]*\.(?:go|th|com)\b)")),
    ("money in satang", re.compile(r"(?<![\d,.])(?:" + "|".join(SATANG) + r")(?![\d,])")),
    ("a Gregorian ISO date", re.compile(r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b")),
    ("a UTC timestamp", re.compile(r"\d\dT\d\d:\d\d")),
]


class Visible(HTMLParser):
    """The text a person sees: everything outside <script> and <style>, and the <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def coded_words() -> set[str]:
    """Every code a stored value can hold (enum values, basis kinds): none may reach a Thai page as is."""
    from interface.web.present import CODED, ENUM_THAI

    words = {str(m.value) for enum in ENUM_THAI for m in enum} | {
        str(m.value) for es in CODED.values() for e in es for m in e
    }
    return words | {"position", "delegation", "acting", "project", "activity", "measure"}


def program_output(html: str, lang: str = "en") -> list[str]:
    text = visible_text(html)
    found = []
    words = coded_words() if lang == "th" else {w for w in coded_words() if "-" in w or "_" in w}
    if words:
        codes = re.compile(r"(?<![/\w.@-])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                           + r")(?![\w@-]|\.\w)")  # fmt: skip
        found += [
            f"a stored code: {m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…".replace("\n", " | ")
            for m in codes.finditer(text)
        ]
    for what, pattern in PROGRAM_OUTPUT:
        for match in pattern.finditer(text):
            line = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " | ")
            found.append(f"{what}: {match.group(0)!r} in …{line}…")
    return found


def pages(world: World) -> list[str]:
    urls = ["/", "/?year=2562", "/plan", "/delegations", "/procurements", "/complaints", "/inbox"]
    for kind, records in world.ids.items():
        urls += [f"/{kind}/{record_id}" for record_id in records.values()]
    return urls


def auditor_pages(world: World) -> list[str]:
    from domain.obligations import Reminders
    from domain.plan import Plan
    from domain.suppliers import SupplierRegister

    urls = ["/audit", "/audit?aggregate_type=Procurement", "/audit?aggregate_type=Plan"]
    urls.append(f"/audit/aggregate/{Plan.create_id(ORG, '2562-2564')}")
    urls += ["/red-flags", "/red-flags?rule=near-reference-price&fiscal_year=2562",
             "/audit?aggregate_type=SupplierRegister"]  # fmt: skip
    urls.append(f"/audit/aggregate/{SupplierRegister.create_id(ORG)}")
    urls.append(f"/audit/aggregate/{Reminders.create_id(ORG, 2562)}")
    for records in world.ids.values():
        for record_id in records.values():
            urls += [f"/audit/aggregate/{record_id}", f"/audit/aggregate/{record_id}?as_of=2019-06-30"]
    return urls


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("username", ["staff", "head", "mayor", "clerk"])
def test_staff_pages_show_human_terms(town, username: str, lang: str):
    svc, world, _ = town
    client = client_for(svc, username, lang)
    problems = []
    for url in pages(world):
        answer = client.get(url)
        assert answer.status_code == 200, f"{url}: {answer.status_code}"
        problems += [f"{url}: {p}" for p in program_output(answer.text, lang)]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["th", "en"])
def test_auditor_pages_show_human_terms(town, lang: str):
    svc, world, _ = town
    client = client_for(svc, "auditor", lang)
    problems = []
    for url in auditor_pages(world) + pages(world)[2:]:
        answer = client.get(url)
        assert answer.status_code in (200,), f"{url}: {answer.status_code}"
        problems += [f"{url}: {p}" for p in program_output(answer.text, lang)]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("username", ["mayor", "clerk"])
def test_the_red_flag_register_shows_human_terms_and_offers_the_import_to_the_desk(town, username: str, lang: str):
    svc, _, _ = town
    client = client_for(svc, username, lang)
    answer = client.get("/red-flags")
    assert answer.status_code == 200 and not program_output(answer.text, lang)
    text = visible_text(answer.text)
    assert ("ราคาที่ชนะใกล้ราคากลางมาก" if lang == "th" else "Winning price very close to the reference") in text
    assert "ตลาดงานถนนในอำเภอมีผู้รับจ้างน้อยราย" in text  # the mayor's acknowledgement
    assert ("ผู้ทิ้งงาน.csv" in text) and 'action="/red-flags/import"' in answer.text
    assert client_for(svc, "staff", lang).get("/red-flags").status_code == 403


def test_a_bad_import_from_the_register_page_says_which_row_and_writes_nothing(town):
    svc, _, _ = town
    client = client_for(svc, "clerk", "th")
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/red-flags").text).group(1)
    before = svc.app.recorder.max_notification_id()
    bad = "เลขประจำตัวผู้เสียภาษี,ชื่อ\n0105559000018,บริษัท ก\n0105559000017,บริษัท ข\n".encode()
    answer = client.post("/red-flags/import", data={"csrf": csrf, "kind": "debarments"},
                         files={"file": ("ผู้ทิ้งงาน.csv", bad, "text/csv")})  # fmt: skip
    assert answer.status_code == 303 and svc.app.recorder.max_notification_id() == before
    shown = visible_text(client.get("/red-flags").text)
    assert "นำเข้าไม่ได้ ไม่มีการบันทึก: แถว 3: เลขประจำตัวผู้เสียภาษี '0105559000017' ไม่ถูกต้อง" in shown


def test_a_person_sets_their_own_e_mail_notices_on_the_inbox_page(town):
    svc, _, _ = town
    client = client_for(svc, "head", "th")
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/inbox").text).group(1)
    bad = client.post("/inbox/contact", data={"csrf": csrf, "email": "ไม่ใช่อีเมล", "digest": "weekly", "lang": "th"})
    assert bad.status_code == 303 and svc.mail.store.contact("head") is None
    assert "ไม่ใช่อีเมล' ไม่ถูกต้อง" in visible_text(client.get("/inbox").text)
    good = client.post("/inbox/contact", data={"csrf": csrf, "email": "head@mukdahan.go.th", "digest": "weekly",
                                               "lang": "en"})  # fmt: skip
    assert good.status_code == 303
    assert svc.mail.store.contact("head") == {"email": "head@mukdahan.go.th", "digest": "weekly", "lang": "en"}
    assert 'value="head@mukdahan.go.th"' in client.get("/inbox").text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_public_pages_show_human_terms(town, lang: str):
    svc, world, _ = town
    client = client_for(svc, None, lang)
    problems = []
    if not svc.ita.years(ORG):
        svc.ita.assemble(ORG, 2562)  # the pack pages and the checkpoints page have something to show
    urls = ["/", f"/p/{ORG}", f"/p/{ORG}/complaint", "/track", f"/p/{ORG}/plan", f"/p/{ORG}/plan?year=2563"]
    urls += [f"/p/{ORG}/measures/{m}" for m in world.ids["measures"].values()]
    urls += [f"/p/{ORG}/ita/2562", f"/p/{ORG}/ita/2562/O21", "/checkpoints"]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, f"{url}: {answer.status_code}"
        problems += [f"{url}: {p}" for p in program_output(answer.text, lang)]
    assert not problems, "\n".join(problems[:40])


def test_every_field_and_event_shown_has_a_label(town):
    """Run last in this module: every key and event the pages above met had a label (present.UNLABELLED)."""
    from interface.web.present import UNLABELLED

    svc, world, _ = town
    client = client_for(svc, "auditor", "th")
    for url in auditor_pages(world):
        client.get(url)
    assert not UNLABELLED, " ".join(sorted(UNLABELLED))


def test_the_detector_finds_program_output():
    """The checks above could not pass by finding nothing: each kind of program output is caught."""
    samples = [
        "None", "datetime.date(2026, 11, 23)", "{'name': 'x'}", "DelegationStatus.DRAFTED", "SubmittedForApproval",
        "order_no", "48000000".replace("48", "145"), "2019-06-30", "2019-06-30T02:00",
    ]  # fmt: skip
    assert program_output("<p>ฐานอำนาจ: position นายกเทศมนตรี</p>", "th")
    assert program_output("<p>ช่องทาง: website</p>", "th")
    assert program_output("<p>Scope: approve-measure *</p>", "en")
    for sample in samples:
        assert program_output(f"<p>{sample}</p>"), sample
    assert not program_output("<p>๑,๔๕๐,๐๐๐.๐๐ บาท · 30 มิ.ย. 2562 · https://mukdahan.go.th/p_4</p>")
    assert Role.AUDITOR  # the roles the pages are rendered for exist
