from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IpsConfig(AppConfig):
    name = "ips"
    verbose_name = _("Caseload")
