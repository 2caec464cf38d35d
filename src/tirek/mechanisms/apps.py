from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MechanismsConfig(AppConfig):
    name = "tirek.mechanisms"
    label = "mechanisms"
    verbose_name = _("Referral mechanisms")
