from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from sinergi.reviews.models import Review


class ReviewTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("Title"), attrs={"td": {"class": "name"}})
    program = tables.Column(verbose_name=_("Program"), order_by=("program__title",))
    kind = tables.Column(verbose_name=_("Kind"))
    held_on = tables.DateColumn(verbose_name=_("Date"), short=True)
    period_end = tables.DateColumn(verbose_name=_("Period to"), short=True)

    class Meta:
        model = Review
        fields = ("title", "program", "kind", "held_on", "period_end")
        order_by = ("-held_on",)
