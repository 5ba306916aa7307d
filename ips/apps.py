from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpsConfig(AppConfig):
    name = "ips"
    verbose_name = _("Caseload")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import remember_to_apply_saved_language

        user_logged_in.connect(remember_to_apply_saved_language, dispatch_uid="ips-language")
