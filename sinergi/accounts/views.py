"""Sign-in, password change and the administration of users and units."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from sinergi.accounts import permissions, services
from sinergi.accounts.choices import DEMO_PASSWORD
from sinergi.accounts.filtersets import AuditEntryFilterSet
from sinergi.accounts.forms import SignInForm, UnitForm, UserForm
from sinergi.accounts.models import Unit, User
from sinergi.core.models import AuditEntry
from sinergi.core.tables import AuditEntryTable
from sinergi.core.views import ServiceFormView, object_history


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        """On a deployment with the demo loaded, the page names its accounts and password, so
        a newcomer can try each role at once."""
        context = super().get_context_data(**kwargs)
        accounts = list(
            User.objects.filter(is_demo=True, is_active=True)
            .select_related("unit")
            .order_by("username")
        )
        context["demo_accounts"] = accounts
        context["demo_password"] = DEMO_PASSWORD if accounts else ""
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _require_account_reader(user) -> None:
    if not permissions.can_read_accounts(user):
        raise PermissionDenied


def _require_account_manager(user) -> None:
    if not permissions.can_manage_accounts(user):
        raise PermissionDenied


# --- Users ------------------------------------------------------------------------------------


def user_list(request):
    _require_account_reader(request.user)
    users = (
        permissions.users_visible_to(request.user)
        .select_related("unit")
        .order_by("unit__name", "username")
    )
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "can_manage": permissions.can_manage_accounts(request.user)},
    )


def user_detail(request, pk: int):
    _require_account_reader(request.user)
    person = get_object_or_404(
        permissions.users_visible_to(request.user).select_related("unit"), pk=pk
    )
    return render(
        request,
        "accounts/user_detail.html",
        {"person": person, "can_manage": permissions.can_manage_accounts(request.user)},
    )


def user_history(request, pk: int):
    _require_account_reader(request.user)
    person = get_object_or_404(permissions.users_visible_to(request.user), pk=pk)
    return object_history(request, person, AuditEntry.objects.for_object(person))


class UserCreateView(ServiceFormView):
    form_class = UserForm
    template_name = "accounts/user_form.html"
    success_message = gettext_lazy("User saved.")
    person = None

    def dispatch(self, request, *args, **kwargs):
        _require_account_manager(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def _data(self, form):
        return {k: v for k, v in form.cleaned_data.items() if k != "password"}

    def perform(self, form):
        return services.user_create(
            actor=self.request.user,
            data=self._data(form),
            password=form.cleaned_data.get("password") or None,
        )


class UserUpdateView(UserCreateView):
    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": User.objects.get(pk=self.person.pk)}

    def perform(self, form):
        with transaction.atomic():
            user = services.user_update(
                actor=self.request.user, user=self.person, data=self._data(form)
            )
            if form.cleaned_data.get("password"):
                services.user_set_password(
                    actor=self.request.user, user=user, password=form.cleaned_data["password"]
                )
        return user


# --- Units ------------------------------------------------------------------------------------


def unit_list(request):
    _require_account_reader(request.user)
    units = list(permissions.units_visible_to(request.user).select_related("parent"))
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    visible_ids = {u.pk for u in units}
    rows: list[dict] = []

    def walk(unit: Unit, depth: int) -> None:
        rows.append({"unit": unit, "depth": depth})
        for child in sorted(by_parent.get(unit.pk, []), key=lambda u: u.name):
            walk(child, depth + 1)

    roots = [u for u in units if u.parent_id is None or u.parent_id not in visible_ids]
    for root in sorted(roots, key=lambda u: u.name):
        walk(root, 0)
    return render(
        request,
        "accounts/unit_list.html",
        {"rows": rows, "can_manage": permissions.can_manage_accounts(request.user)},
    )


def unit_detail(request, pk: int):
    _require_account_reader(request.user)
    unit = get_object_or_404(
        permissions.units_visible_to(request.user).select_related("parent"), pk=pk
    )
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "members": unit.users.order_by("username"),
            "children": unit.children.order_by("name"),
            "can_manage": permissions.can_manage_accounts(request.user),
        },
    )


def unit_history(request, pk: int):
    _require_account_reader(request.user)
    unit = get_object_or_404(permissions.units_visible_to(request.user), pk=pk)
    return object_history(request, unit, AuditEntry.objects.for_object(unit))


class UnitCreateView(ServiceFormView):
    form_class = UnitForm
    template_name = "accounts/unit_form.html"
    success_message = gettext_lazy("Unit saved.")
    unit = None

    def dispatch(self, request, *args, **kwargs):
        _require_account_manager(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit": self.unit}

    def perform(self, form):
        return services.unit_create(actor=self.request.user, data=form.cleaned_data)


class UnitUpdateView(UnitCreateView):
    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(Unit, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Unit.objects.get(pk=self.unit.pk)}

    def perform(self, form):
        return services.unit_update(actor=self.request.user, unit=self.unit, data=form.cleaned_data)


# --- Change log and language ---------------------------------------------------------------


class AuditEntryListView(SingleTableMixin, FilterView):
    """The change log: every write the user may see, filterable by user, unit, type and date."""

    template_name = "core/auditentry_list.html"
    filterset_class = AuditEntryFilterSet
    table_class = AuditEntryTable
    paginate_by = 50

    def get_queryset(self):
        return AuditEntry.objects.visible_to(self.request.user).select_related(
            "actor", "actor_unit", "content_type"
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; remembered on the account when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not check_for_language(language):
        messages.error(request, _("Unknown language."))
        return response
    if request.user.is_authenticated:
        services.user_set_language(actor=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
