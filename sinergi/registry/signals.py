"""What the registry announces to the apps above it, which it does not import."""

from django.dispatch import Signal

# An organisation type's founding rule, or the figure it ranks by, changed (`org_type`); sent
# after the change is saved. Insight recomputes its gap list.
founding_rule_changed = Signal()
