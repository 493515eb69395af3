"""The OIT item table is data: the bundled years, what a reference stands for, and a bad table refused."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, NotFound
from domain.ita import DocumentRef, OitTable
from infrastructure.oit import load_oit_table


def test_the_bundled_table_has_2566_and_2568_with_the_published_titles():
    table = load_oit_table()
    assert sorted(table.years) == [2566, 2568]
    items = {i.item: i for i in table.items(2566)}
    assert list(items) == ["O19", "O20", "O21", "O22", "O27", "O28", "O29", "O36", "O37", "O38"]
    assert items["O21"].title == "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"
    assert [i.item for i in table.items(2568)] == ["O12", "O13", "O17", "O18", "O19", "O25", "O26"]
    assert {d.kind for d in table.items(2568)[0].documents} == {"procurement-plan", "procurement-notices",
                                                                 "procurement-summary"}  # fmt: skip


def test_which_table_a_year_uses():
    table = load_oit_table()
    assert [table.table_year_for(y) for y in (2563, 2566, 2567, 2568, 2570)] == [2566, 2566, 2566, 2568, 2568]
    with pytest.raises(NotFound, match="known: 2566, 2568"):
        table.items(2567)


def test_what_a_reference_stands_for_on_a_day():
    monthly = DocumentRef("procurement-summary", 0, None, True)
    assert monthly.periods(2563, date(2020, 1, 15)) == ["2019-10", "2019-11", "2019-12"]
    assert len(monthly.periods(2563, date(2026, 11, 26))) == 12
    assert monthly.periods(2563, date(2019, 10, 20)) == []  # no month of the year has ended
    assert DocumentRef("plan-progress", -1, 12).periods(2566, date(2023, 5, 1)) == ["2565-r12"]
    assert DocumentRef("procurement-plan").periods(2566, date(2023, 5, 1)) == ["2566"]


def test_a_bad_table_is_refused_naming_the_item():
    with pytest.raises(InvalidInput, match="O99"):
        OitTable({"years": {"2570": [{"item": "O99", "title": "x", "documents": [{"kind": "horoscope"}]}]}})
    with pytest.raises(InvalidInput, match="malformed"):
        OitTable({"items": []})
