from django.contrib import admin
from django.urls import include, path

from briefings.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.article, name="article"),
    path("feeds/", include("briefings.site.feeds")),
    path("", include("briefings.site.discovery")),
    path("admin/", admin.site.urls),
]

handler404 = "briefings.site.views.not_found"
