from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "briefings.site"
    label = "site"
    verbose_name = "Public site"
