from django.contrib import admin
from django.urls import include, path

from briefings.site import pages, views
from briefings.site.search import search_page

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.article, name="article"),
    path("story/<int:pk>/", pages.story, name="story"),
    path("section/<slug:slug>/", pages.section, name="section"),
    path("region/<slug:slug>/", pages.region, name="region"),
    path("topic/<slug:slug>/", pages.topic, name="topic"),
    path("source/<slug:slug>/", pages.source, name="source"),
    path("search/", search_page, name="search"),
    path("feeds/", include("briefings.site.feeds")),
    path("", include("briefings.site.discovery")),
    path("admin/", admin.site.urls),
]

handler404 = "briefings.site.views.not_found"
handler500 = "briefings.site.views.server_error"
