from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "briefings.sources"
    label = "sources"
    verbose_name = "Sources"
