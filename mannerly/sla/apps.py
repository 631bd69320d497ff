from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "mannerly.sla"
