from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "briefings.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"
