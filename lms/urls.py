"""URL map: officer-facing site, the staff admin (Wagtail), health check, then Wagtail pages."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.core import views as core_views
from lms.jobs.media import serve_public_media

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("lms.core.urls")),
    path("roster/", include("lms.roster.urls")),
    path("exams/", include("lms.exams.urls")),
    path("questions/", include("question_bank.urls")),
    path("learn/", include("courses.urls")),
]

if settings.DEBUG:
    # Development only (production serves /media/ from the proxy); the private folder is never served.
    urlpatterns += static(settings.MEDIA_URL, view=serve_public_media)

# Wagtail serves the course pages; it must come last because it matches every remaining path.
urlpatterns.append(path("", include(wagtail_urls)))
