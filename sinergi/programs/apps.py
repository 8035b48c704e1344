from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "sinergi.programs"
    label = "programs"
    verbose_name = _("Coordination programs")

    def ready(self) -> None:
        # The enterprise page lists the activities that reached the enterprise; the registry
        # does not import programs (apps import downward only), so programs hands it the query.
        from sinergi.programs.models import Activity, Program
        from sinergi.registry import activities

        def activities_of(enterprise, user):
            return (
                Activity.objects.filter(
                    enterprises=enterprise, program__in=Program.objects.visible_to(user)
                )
                .select_related("program")
                .order_by("-held_on")[:50]
            )

        activities.provide(activities_of)
