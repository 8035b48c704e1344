"""The list filters' one-pass widgets: the checkbox list writes Django's own markup, the select
the same options and choice as Django's, and the model choices read their options with one
query."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sinergi.registry.choices import Ownership
from sinergi.registry.filtersets import EnterpriseFilterSet, FastCheckboxes, FastSelect
from sinergi.registry.models import Enterprise, OrganisationType

CHOICES = [("a", "A & <b>"), ("c", 'C "quoted"'), ("", "none"), (3, "three")]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {"id": "id_has"}),
        (["c"], {"id": "id_has"}),
        (["a", "3", "x"], {"id": "id_has", "class": "boxes"}),
        ([""], {}),
        (["a"], {"id": "id_has", "required": True, "data-x": False, "aria-describedby": "h"}),
    ],
)
def test_checkboxes_write_djangos_markup(value, attrs):
    django_way = forms.CheckboxSelectMultiple(choices=CHOICES).render("has", value, attrs)
    assert FastCheckboxes(choices=CHOICES).render("has", value, attrs) == django_way


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {"id": "id_zone"}),
        ("c", {"id": "id_zone"}),
        (3, {"id": "id_zone", "class": "wide"}),
        ("", {}),
        ("x", {"id": "id_zone", "required": True, "data-x": False, "aria-describedby": "h"}),
    ],
)
def test_a_select_writes_djangos_options_and_choice(value, attrs):
    """The same tags as Django's select (its template only adds line breaks between them),
    whichever option is chosen, also when the options were written for an earlier page."""
    django_way = forms.Select(choices=CHOICES).render("zone", value, attrs)
    for _again in range(2):
        html = FastSelect(choices=CHOICES).render("zone", value, attrs)
        assert html == re.sub(r">\s+<", "><", django_way)
    assert html.count(" selected") == (0 if value == "x" else 1)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en", "id"])
def test_the_enterprise_filters_read_as_djangos_widgets_did(world, language):
    """Ownership (plain choices) and has / lacks (organisation types, labelled in the reader's
    language), checked or not, as Django's widget wrote them; one query per model field."""
    data = {"ownership": ["state"], "has": ["party"], "lacks": []}
    with translation.override(language):
        filters = EnterpriseFilterSet(data=data, queryset=Enterprise.objects.all())
        assert filters.is_valid()
        form = filters.form
        for name in ("ownership", "has", "lacks"):
            bound = form[name]
            with CaptureQueriesContext(connection) as queries:
                html = str(bound)
            expected = forms.CheckboxSelectMultiple(choices=bound.field.choices).render(
                bound.html_name, bound.value(), {"id": bound.auto_id}
            )
            assert html == expected
            assert len(queries) == (0 if name == "ownership" else 1)
        labels = [str(label) for _code, label in Ownership.choices]
        assert all(label.replace("&", "&amp;") in str(form["ownership"]) for label in labels)
        assert all(t.name in str(form["has"]) for t in OrganisationType.objects.all())
        assert 'value="party" id="id_has_0" checked' in str(form["has"])


@pytest.mark.django_db
def test_the_zone_filter_reads_the_zones_once_per_registry_version(world):
    """Asked again with nothing changed, the zone select costs the version's query alone; a
    zone renamed through the service (which moves the version) shows its new name at once."""
    from sinergi.core.services import SYSTEM
    from sinergi.registry import services
    from sinergi.registry.models import Zone

    def zone_select():
        filters = EnterpriseFilterSet(data={"zone": ""}, queryset=Enterprise.objects.all())
        with CaptureQueriesContext(connection) as queries:
            html = str(filters.form["zone"])
        return html, [q["sql"] for q in queries]

    zone = world.zones["a"]
    old_name = zone.name
    first, _queries = zone_select()
    assert f">{old_name}</option>" in first
    again, queries = zone_select()
    assert again == first
    assert not [sql for sql in queries if 'FROM "registry_zone"' in sql]
    services.zone_update(actor=SYSTEM, zone=zone, data={"name": "KCN Tên Mới"})
    renamed, queries = zone_select()
    assert ">KCN Tên Mới</option>" in renamed
    assert f">{old_name}</option>" not in renamed
    assert Zone.objects.get(pk=zone.pk).name == "KCN Tên Mới"


def test_filter_sets_share_their_form_class_but_not_their_filters_or_fields(world):
    """LeanFilterSet: filters copied shallowly, one form class per filter set class."""
    from sinergi.insight.filtersets import GapFilterSet, ViolationFilterSet

    everyone = Enterprise.objects.all()
    one = EnterpriseFilterSet({"q": "điện tử"}, queryset=everyone)
    two = EnterpriseFilterSet({"q": "hóa chất"}, queryset=everyone)
    assert type(one.form) is type(two.form)
    assert one.filters["q"] is not two.filters["q"]
    assert one.filters["q"].parent is one and two.filters["q"].parent is two
    # Each form has its own fields: choices set on one are not another's.
    assert one.form.fields["has"] is not two.form.fields["has"]
    assert one.form.fields["zone"].queryset is not two.form.fields["zone"].queryset
    one.form.fields["has"].widget.choices = [("x", "X")]
    assert ("x", "X") not in list(two.form.fields["has"].widget.choices)
    # Each runs its own search method (a filter's `method`), on its own words.
    assert list(one.qs) == [world.enterprises["a"]]
    assert list(two.qs) == [world.enterprises["b"]]
    # A subclass builds its own form class, with its own fields.
    gaps, violations = GapFilterSet({}), ViolationFilterSet({})
    assert type(gaps.form) is not type(violations.form)
    assert "type" in gaps.form.fields and "rule" in violations.form.fields
    assert "rule" not in gaps.form.fields
