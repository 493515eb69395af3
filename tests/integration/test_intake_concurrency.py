"""Public intake under concurrency: every valid complaint is accepted, case numbers have no gaps, and a
refused intake leaves no key behind — on both stores."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from domain.errors import InvalidInput
from tests.conftest import ORG

pytestmark = pytest.mark.store

N = 40


def test_simultaneous_complaints_are_all_accepted_with_gapless_case_numbers(seeded):
    svc = seeded

    def file(i: int):
        return svc.complaints.submit(ORG, "web", "general", f"ไฟดับ ซอย {i}", "ไฟถนนดับ", "", {"name": f"ผู้ร้อง {i}"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        made = list(pool.map(file, range(N)))
    numbers = sorted(c.case_no for c, _ in made)
    assert numbers == [f"2562/{i:05d}" for i in range(1, N + 1)]
    keys = svc.read_models.query("SELECT COUNT(*) FROM personal_data_keys")[0][0]
    assert keys == N  # one key per recorded complaint, no orphans


def test_a_refused_intake_leaves_no_key_behind(seeded):
    svc = seeded
    before = svc.read_models.query("SELECT COUNT(*) FROM personal_data_keys")[0][0]
    huge = {"filename": "x.pdf", "content": b"x" * (svc.complaints.rules.max_attachment_bytes + 1)}
    with pytest.raises(InvalidInput):
        svc.complaints.submit(ORG, "web", "general", "ไฟดับ", "ไฟถนนดับ", "", {"name": "ก"}, attachments=[huge])
    with pytest.raises(InvalidInput):
        svc.complaints.submit(ORG, "web", "general", "ไฟดับ", "ไฟถนนดับ", "", {"name": "ก"},
                              attachments=[{"filename": "", "content": b"ok"}])  # fmt: skip
    assert svc.read_models.query("SELECT COUNT(*) FROM personal_data_keys")[0][0] == before
