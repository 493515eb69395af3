"""Human terms for every event and coded value (interface/web/present.py)."""

from __future__ import annotations

from datetime import date, datetime

from eventsourcing.domain import Aggregate

import domain.complaint
import domain.delegation
import domain.measure
import domain.people
import domain.plan
import domain.procurement
import domain.reporting
from domain.clock import BANGKOK
from interface.web.present import CODED, ENUM_THAI, EVENTS, enum_label, show, text_of, timeline

MODULES = (domain.complaint, domain.delegation, domain.measure, domain.people, domain.plan, domain.procurement,
           domain.reporting)  # fmt: skip


SKIP = {"Event", "Created"}  # the library's own base classes on every aggregate


def aggregate_events() -> set[str]:
    found = set()
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Aggregate) and value.__module__ == module.__name__:
                for name, member in vars(value).items():
                    if isinstance(member, type) and issubclass(member, Aggregate.Event) and name not in SKIP:
                        found.add(member.__qualname__)
    return found


def test_every_event_of_every_aggregate_has_a_thai_and_english_label():
    events = aggregate_events()
    assert len(events) > 60
    assert events - EVENTS.keys() == set()


def test_every_coded_value_has_a_thai_label():
    for enums in CODED.values():
        for enum in enums:
            for member in enum:
                assert enum in ENUM_THAI and member in ENUM_THAI[enum], member
                assert enum_label(member, "th") != member.value or not member.value.isascii()


def test_values_read_as_people_write_them():
    assert text_of(None, "x", "th") == "—"
    assert text_of(145_000_000, "agreed_satang", "th") == "1,450,000.00 บาท"
    assert text_of(date(2019, 6, 30), "", "th") == "30 มิถุนายน 2562"
    assert text_of(date(2019, 6, 30), "", "en") == "30 June 2562 BE"
    assert text_of(datetime(2019, 6, 30, 2, 0, tzinfo=BANGKOK.utcoffset(None) and BANGKOK), "", "th").endswith(
        "02:00 น."
    )
    assert text_of("2019-05", "month", "th") == "พฤษภาคม 2562"
    assert text_of({"kind": "position", "position": "นายกเทศมนตรี"}, "basis", "th") == "อำนาจตามตำแหน่ง นายกเทศมนตรี"
    assert text_of({"name": "นายก", "position": "นายกเทศมนตรี", "username": "mayor"}, "by", "th") == "นายก (นายกเทศมนตรี)"
    scope = {"power": "approve", "action": "approve-measure", "unit": "*", "ceiling_satang": 500_000_00}
    assert text_of(scope, "", "th") == "อนุมัติ: อนุมัติโครงการ/กิจกรรมตามแผน (ทุกหน่วยงาน), วงเงินไม่เกิน 500,000.00 บาท"
    assert text_of(["egp", "website"], "channel", "th") == "ระบบ e-GP, เว็บไซต์"
    html = str(show({"order_no": "1/2562", "user_id": "secret-id", "valid_until": None}, "", "th"))
    assert "เลขที่คำสั่ง" in html and "secret-id" not in html and "None" not in html
    assert "&lt;script&gt;" in str(show("<script>", "note", "th"))


def test_a_timeline_names_the_event_the_signer_and_the_basis():
    signer = {"username": "mayor", "name": "นายกฤษดา", "position": "นายกเทศมนตรี"}
    basis = {"kind": "position", "position": "นายกเทศมนตรี"}
    changes = {"kind": "winner", "signer": signer, "basis": basis, "idempotency_key": "k4",
               "details": {"winner": "หจก.มุกดา", "agreed_satang": 100}}  # fmt: skip
    history = [{"version": 3, "type": "NoticeIssued", "kind": "Procurement.NoticeIssued",
                "timestamp": datetime(2019, 6, 30, 2, tzinfo=BANGKOK), "actor": None, "changes": changes}]  # fmt: skip
    (row,) = timeline(history, "th")
    assert row["what"] == "ลงนามประกาศ: ประกาศผู้ชนะการเสนอราคา"
    assert row["who"] == "นายกฤษดา (นายกเทศมนตรี)" and row["basis"] == "อำนาจตามตำแหน่ง นายกเทศมนตรี"
    assert "1.00 บาท" in str(row["details"]) and "k4" not in str(row["details"])


def test_dates_and_months_are_typed_the_thai_way():
    import pytest

    from domain.thai import be_numeric, parse_be_date, parse_be_month

    assert parse_be_date("30/6/2562") == date(2019, 6, 30)
    assert parse_be_date("๓๐/๐๖/๒๕๖๒") == date(2019, 6, 30)
    assert parse_be_date("30.06.2562") == date(2019, 6, 30)
    assert parse_be_date("2019-06-30") == date(2019, 6, 30)  # ISO, as a date picker sends it
    assert be_numeric(date(2019, 6, 30)) == "30/06/2562"
    for bad in ("06/30/2019", "30/6/2019", "31/2/2562", "yesterday", ""):
        with pytest.raises(ValueError):
            parse_be_date(bad)
    assert parse_be_month("6/2562") == "2019-06" and parse_be_month("2019-06") == "2019-06"
    for bad in ("13/2562", "6/2019", "มิถุนายน"):
        with pytest.raises(ValueError):
            parse_be_month(bad)
