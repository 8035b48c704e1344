from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "sinergi.insight"
    label = "insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        # The registry's lists and zone tree use insight's pre-aggregates without importing
        # insight (apps import downward only): insight hands them over here.
        from sinergi.core import paging
        from sinergi.insight import aggregates
        from sinergi.registry import zonetree
        from sinergi.registry.signals import founding_rule_changed

        paging.provide_count_token(lambda: aggregates.list_cache_token())
        zonetree.provide_counts(lambda: aggregates.fresh_zone_counts())
        founding_rule_changed.connect(
            lambda sender, **kwargs: aggregates.refresh(),
            weak=False,
            dispatch_uid="insight-refresh-gaps",
        )
