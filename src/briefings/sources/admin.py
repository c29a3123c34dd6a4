from django.contrib import admin

from briefings.sources.models import Feed, FetchLog, Source


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    fields = ("url", "kind", "enabled", "discovered", "last_status", "last_polled_at",
              "last_error_reason")
    readonly_fields = ("last_status", "last_polled_at", "last_error_reason")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "region", "language", "enabled", "health",
                    "last_ingest_at", "last_error_reason")
    list_filter = ("region", "enabled", "full_text")
    search_fields = ("name", "slug", "homepage")
    inlines = [FeedInline]


@admin.register(FetchLog)
class FetchLogAdmin(admin.ModelAdmin):
    list_display = ("fetched_at", "source", "kind", "status", "reason", "url")
    list_filter = ("kind", "reason", "source")
    search_fields = ("url", "message")
