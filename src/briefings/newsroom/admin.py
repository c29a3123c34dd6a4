from django.contrib import admin

from briefings.newsroom.models import Article, Entry


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published", "section", "language", "paywalled")
    list_filter = ("source", "language", "paywalled")
    search_fields = ("title", "canonical_url", "text")
    date_hierarchy = "published"
    raw_id_fields = ("duplicate_of",)  # a select of every article would not load


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "state", "attempts", "error_reason", "last_attempt_at")
    list_filter = ("state", "error_reason", "source")
    search_fields = ("url", "error")
