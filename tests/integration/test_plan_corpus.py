"""Every layout of the national template, as text, Word and PDF: a clerk corrects at most 3 things per plan."""

from __future__ import annotations

import pytest

from tests.plan_corpus import LAYOUTS, scores


@pytest.fixture(scope="module")
def report() -> list:
    return scores()


def test_every_layout_in_every_format_was_measured(report) -> None:
    assert len(report) == 3 * (len(LAYOUTS) + 1)  # every layout and the Mukdahan plan, as txt, docx and pdf


def test_no_plan_needs_more_than_three_corrections(report) -> None:
    for score in report:
        assert score.found == score.expected, (score.document, score.wrong)
        assert score.corrections <= 3, (score.document, score.wrong)


def test_the_text_and_word_forms_need_none(report) -> None:
    for score in report:
        if not score.document.endswith("(pdf)"):
            assert score.corrections == 0, (score.document, score.wrong)
