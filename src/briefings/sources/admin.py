from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from briefings.sources.models import Feed, FetchLog, LearnedBlock, LearnedSite, Source


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


class LearnedBlockInline(admin.TabularInline):
    model = LearnedBlock
    extra = 0
    can_delete = False
    fields = ("furniture", "pages", "text", "path")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LearnedSite)
class LearnedSiteAdmin(admin.ModelAdmin):
    """The furniture each site's pages taught the extractor; read-only, learned by the ingest."""

    list_display = ("host", "pages", "furniture_blocks", "updated_at")
    search_fields = ("host", "blocks__text")
    readonly_fields = ("host", "pages", "updated_at")
    exclude = ("counts", "known")
    inlines = [LearnedBlockInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LearnedSite]:
        furniture = Count("blocks", filter=Q(blocks__furniture=True))
        return super().get_queryset(request).annotate(furniture_blocks=furniture)

    @admin.display(description="furniture blocks", ordering="furniture_blocks")
    def furniture_blocks(self, site: LearnedSite) -> int:
        return site.furniture_blocks  # type: ignore[attr-defined]
