from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The menu (core) shows the user and unit pages to whoever may read them, by the
        # accounts' own rule: core does not import the apps above it, so it is handed over here.
        from sinergi.accounts.permissions import can_read_accounts
        from sinergi.core.context_processors import provide_menu_items

        provide_menu_items(
            can_read_accounts,
            [("accounts:user_list", _("Users")), ("accounts:unit_list", _("Units"))],
        )
