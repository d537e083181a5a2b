from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sammen.api.site import sammen_api
from sammen.spaces.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("sammen.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("sammen.core.urls")),
    path("", include("sammen.spaces.urls")),
    path("", include("sammen.activities.urls")),
    path("", include("sammen.calls.urls")),
    path("", include("sammen.live.urls")),
    path("", include("sammen.conversations.urls")),
    path("", include("sammen.journeys.urls")),
    path("", include("sammen.meetings.urls")),
    path("", include("sammen.audit.urls")),
    path("", include("sammen.moderation.urls")),
    path("", include("sammen.notifications.urls")),
    path("", include("sammen.recognition.urls")),
    path("", include("sammen.insights.urls")),
    path("", include("sammen.webhooks.urls")),
    path("", include("sammen.api.urls")),
    path("api/", sammen_api().urls),
    path("", include("sammen.ambassadors.urls")),
]

if settings.ADMIN_ENABLED:
    urlpatterns.append(path("admin/", admin.site.urls))
