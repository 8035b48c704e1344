"""The demo's first-year review of 16 May 2024: loaded once, with what the conference said."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from docx import Document as read_docx

from sinergi.presets import lao_cai_review
from sinergi.programs.models import Task
from sinergi.reviews import documents, writers
from sinergi.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_first_year_review_once():
    call_command("demo", "--count", "30")
    review = Review.objects.get()
    assert review.held_on == datetime.date(2024, 5, 16) and review.kind == "interim"
    units = {a.unit.body.code for a in review.attendees.select_related("unit__body") if a.unit}
    assert units == {"bloc-party-committee", "economic-zone-board"}
    kinds = set(review.contributions.values_list("kind", flat=True))
    assert kinds == {"result", "limitation", "difficulty", "cause", "lesson", "proposal"}
    follow_ups = [c for c in review.conclusions.all() if c.is_follow_up]
    assert [c.task.code for c in follow_ups] == ["3.2", "6.2"]  # the program's own tasks
    assert Task.objects.filter(area__program=review.program).count() == 12  # no copies
    version = review.versions.get()
    assert version.data_timestamp.date() == datetime.date(2024, 5, 9)
    assert version.statistics["enterprises_by_ownership"]["total"]["total"] > 0
    text = "\n".join(
        p.text
        for p in read_docx(
            io.BytesIO(writers.render(documents.report(version, "vi"), "docx"))
        ).paragraphs
    )
    assert "rà soát, thống kê, nắm tình hình số lượng doanh nghiệp" in text
    call_command("demo", "--count", "30")
    assert Review.objects.count() == 1
    assert len(lao_cai_review.CONTRIBUTIONS) == review.contributions.count()
