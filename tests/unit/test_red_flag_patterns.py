"""The pattern rules across procurements (domain/red_flags.py ``PATTERNS``) on realistic awards of one
municipality's fiscal year: each raised by its pattern and not by the near miss."""

from __future__ import annotations

from datetime import date, timedelta

from domain.red_flags import PATTERNS, Award, RedFlagSettings, patterns, similarity

S = RedFlagSettings()


def award(no: int, subject: str, budget: int, on: date, *, unit: str = "กองคลัง", method: str = "specific",
          firms: tuple[str, ...] = ("ร้านมุกดาพาณิชย์",), agreed: int | None = None) -> Award:  # fmt: skip
    return Award(f"id-{no}", f"6201{no:04d}", unit, 2562, method, subject, budget, agreed or budget, on, 4,
                 tuple("name:" + f for f in firms), firms)  # fmt: skip


def run(awards: list[Award]) -> list[tuple[str, str]]:
    """Every flag raised as the awards arrive in order: (rule, the project that completed it)."""
    raised: list[tuple[str, str]] = []
    for i, a in enumerate(awards):
        once = frozenset(rule for rule, _ in raised)
        raised += [(f.rule, a.project_no) for f in patterns(a, awards[:i], S, once)]
    return raised


DAY = date(2019, 3, 4)
SUPPLIES = "จัดซื้อวัสดุสำนักงาน กองคลัง ครั้งที่ {}"


def test_similar_subjects_compare_alike_and_different_ones_do_not():
    assert similarity(SUPPLIES.format(1), SUPPLIES.format(2)) == 1.0
    assert similarity("จ้างเหมาซ่อมแซมถนนลูกรัง ชุมชนโพธิ์ศรี", "จ้างเหมาซ่อมแซมถนนลูกรัง ชุมชนศรีบุญเรือง") >= S.splitting_similarity
    assert similarity("จัดซื้อวัสดุสำนักงาน", "จัดซื้อวัสดุคอมพิวเตอร์") < S.splitting_similarity


def test_three_purchases_of_one_thing_each_under_the_ceiling_together_over_it_are_splitting():
    split = [award(i, SUPPLIES.format(i), 200_000_00, DAY + timedelta(days=9 * i)) for i in range(1, 4)]
    assert run(split) == [("contract-splitting", "62010003")]
    [flag] = patterns(split[2], split[:2], S)
    assert flag.numbers == {"procurements": ["62010001", "62010002", "62010003"], "total_satang": 600_000_00,
                            "threshold_satang": 500_000_00, "window_days": 30, "unit": "กองคลัง"}  # fmt: skip


def test_no_splitting_when_apart_in_time_or_subject_or_unit_or_under_the_ceiling_together():
    far = [award(i, SUPPLIES.format(i), 200_000_00, DAY + timedelta(days=40 * i)) for i in range(1, 4)]
    other = [award(1, "จัดซื้อวัสดุสำนักงาน", 300_000_00, DAY), award(2, "จัดซื้อวัสดุคอมพิวเตอร์", 300_000_00, DAY)]
    units = [
        award(1, SUPPLIES.format(1), 300_000_00, DAY),
        award(2, SUPPLIES.format(2), 300_000_00, DAY, unit="กองช่าง"),
    ]
    small = [award(i, SUPPLIES.format(i), 150_000_00, DAY + timedelta(days=i)) for i in range(1, 4)]
    for history in (far, other, units, small):
        assert run(history) == []


RING = ("หจก.มุกดาก่อสร้าง", "บจก.โขงวิศวกรรม", "หจก.ศรีบุญเรืองการโยธา")


def test_the_same_firms_bidding_together_a_third_time_is_co_bidding_once():
    roads = [award(i, f"จ้างก่อสร้างถนน คสล. ซอย {i}", 2_000_000_00, DAY + timedelta(days=30 * i), method="e_bidding",
                   firms=RING) for i in range(1, 4)]  # fmt: skip
    assert run(roads) == [("co-bidding", "62010003")]
    flag = patterns(roads[2], roads[:2], S)[0]
    assert flag.numbers == {"firms": sorted(RING), "times": 3, "threshold": 3,
                            "procurements": ["62010001", "62010002", "62010003"]}  # fmt: skip


def test_firms_meeting_twice_or_in_different_company_each_time_are_not_co_bidding():
    twice = [award(i, f"ถนน {i}", 2_000_000_00, DAY, method="e_bidding", firms=RING) for i in range(1, 3)]
    rotating = [award(i, f"ถนน {i}", 2_000_000_00, DAY, method="e_bidding", firms=(RING[0], f"บจก.ผู้รับเหมา {i}",
                                                                                      f"หจก.ช่าง {i}"))
                for i in range(1, 6)]  # fmt: skip
    assert run(twice) == [] and run(rotating) == []


ITEMS = ("โต๊ะทำงาน", "ตู้เหล็กเก็บเอกสาร", "เครื่องปรับอากาศ", "กล้องวงจรปิด", "เครื่องพิมพ์", "รถเข็นผู้ป่วย", "เต็นท์",
         "เก้าอี้พลาสติก", "ไมโครโฟนไร้สาย", "พัดลมอุตสาหกรรม", "เครื่องตัดหญ้า", "โปรเจกเตอร์", "ตู้เย็น", "เครื่องสูบน้ำ",
         "บันไดอะลูมิเนียม")  # fmt: skip


def year(late_months: list[int], late_value: int, early_value: int = 100_000_00) -> list[Award]:
    """Specific-method purchases: one a month from October to June, then ``late_months`` (July–September)."""
    early = [date(2018, m, 15) if m >= 10 else date(2019, m, 15) for m in (10, 11, 12, 1, 2, 3, 4, 5, 6)]
    days = early + [date(2019, m, 10 + i) for i, m in enumerate(late_months)]
    return [award(i, f"จัดซื้อ{ITEMS[i - 1]}", early_value if d.month not in (7, 8, 9) else late_value, d,
                  firms=(f"ร้าน {i}",)) for i, d in enumerate(days, 1)]  # fmt: skip


def test_specific_purchases_crowded_into_the_last_quarter_are_flagged_once_at_the_one_that_tips_it():
    raised = run(year([9, 9, 9, 9, 9, 9], 200_000_00))
    assert raised == [("year-end-specific", "62010014")]  # 5th late purchase: 1.0M of 1.9M


def test_a_year_with_the_last_quarter_in_proportion_is_not_flagged():
    assert run(year([7, 8, 9], 100_000_00)) == []
    assert run(year([9, 9, 9, 9, 9], 100_000_00)) == []  # five late, but 5 of 14 parts of the value


def test_every_pattern_is_named_versioned_and_titled():
    assert {p.code for p in PATTERNS} == {"contract-splitting", "co-bidding", "year-end-specific"}
    assert all(p.version >= 1 and p.title_th and p.title_en for p in PATTERNS)
