"""Review pages for every persona: the program's managers (admin, the coordinator of a party)
change reviews; everyone who reads the program (the parties' editors, the committee's viewer)
reads them and downloads their reports."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from sinergi.core.services import SYSTEM
from sinergi.core.testing import (
    ADMIN_ONLY,
    EVERYONE,
    FORBIDDEN,
    MISSING,
    OK,
    REDIRECT,
    signed_in,
)
from sinergi.reviews import services
from sinergi.reviews.models import ReportFile
from sinergi.reviews.testing import build_review


def cases(world) -> list[tuple[str, str, dict]]:
    built = build_review(world)
    review = built.review
    contribution = services.contribution_save(
        actor=SYSTEM,
        review=review,
        data={"speaker": built.delegate, "kind": "result", "text": "Đã rà soát doanh nghiệp."},
    )
    version = services.version_create(actor=SYSTEM, review=review)
    r, v = review.pk, version.pk
    # A file as an issued report keeps them (issuing itself is tested in test_issuing.py).
    kept = ReportFile(
        version=version, kind="generated", language="vi", file_format="pdf", size=9, sha256="0"
    )
    kept.file.save("report.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    kept.filename = "report.pdf"
    kept.save()
    managers = {**ADMIN_ONLY, "coordinator": OK}
    # A POST's answer for those the rule allows: the redirect that follows the write.
    managed = {**ADMIN_ONLY, "admin": REDIRECT, "coordinator": REDIRECT}
    nowhere = {p: MISSING for p in EVERYONE}

    def row(name, args, expected, *post):
        path = reverse(f"reviews:{name}", args=args)
        return (f"reviews:{name}", path, signed_in(expected), *post)

    return [
        row("review_list", [], EVERYONE),
        row("review_create", [], managers),
        row("review_detail", [r], EVERYONE),
        row("review_detail", [999999], nowhere),
        row("review_update", [r], managers),
        row("review_history", [r], EVERYONE),
        row("attendee_create", [r], managers),
        row("attendee_update", [built.delegate.pk], managers),
        row("contribution_capture", [r], managers),
        row(
            "contribution_autosave",
            [r],
            managers,
            {"speaker": built.delegate.pk, "kind": "result", "text": "Đã thành lập chi bộ."},
        ),
        row("contribution_update", [contribution.pk], managers),
        row("contribution_delete", [contribution.pk], managed, {}),
        row("conclusion_create", [r], managers),
        row("version_create", [r], managed, {}),
        row("version_detail", [v], EVERYONE),
        row("version_update", [v], managers),
        row("version_finalise", [v], managed, {}),
        row("version_download", [v, "docx"], EVERYONE),
        row("version_download", [v, "pdf"], EVERYONE),
        row("version_download", [v, "odt"], nowhere),
        row("minutes_download", [r, "pdf"], EVERYONE),
        row("minutes_download", [r, "docx"], EVERYONE),
        # Only a final report is issued: a draft's issue page answers 403 to everyone.
        row("version_issue", [v], {p: FORBIDDEN for p in EVERYONE}),
        row("version_issue", [999999], nowhere),
        row("report_file_download", [kept.pk], EVERYONE),
        row("report_file_download", [999999], nowhere),
        row("documentsetup_update", [review.program_id], managers),
        row("documentsetup_update", [999999], nowhere),
    ]
