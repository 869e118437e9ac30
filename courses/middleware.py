"""Serve lesson pages without walking the page tree on every request.

Wagtail looks up the site, walks the tree one level at a time and reads the page's view restrictions on
every request: half of a lesson page's queries, the same for every officer. The first request for a
lesson's URL stores (site, the lesson page, its view restrictions) in the cache; later requests hand Wagtail
that route (its own per-request caches `_wagtail_site` and `_wagtail_route_for_request`) without a query.
The entry is keyed by the tree generation (courses.rendering), which publishing, unpublishing,
moving or deleting a page, changing a site or a view restriction bumps.
"""

from __future__ import annotations

from django.core.cache import cache

from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from .rendering import BODY_TTL, TREE_GENERATION, _generation

SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/", "/healthz", "/i18n/")


def _key(request) -> str:
    return f"courses:route:{_generation(TREE_GENERATION)}:{request._get_raw_host()}:{request.path}"


class LessonRouteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_lesson_route_key", None)
        if key is not None and response.status_code == 200 and not getattr(request, "_lesson_route_cached", False):
            self._remember_route(request, key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only for the pages Wagtail serves, known once the URL is resolved: the exam's pages, its state
        # poll and every other view of ours never pay the two cache reads.
        if view_func is not wagtail_serve or request.method not in ("GET", "HEAD") or request.path.startswith(
                SKIPPED_PREFIXES):
            return None
        request._lesson_route_key = _key(request)
        self._use_cached_route(request, request._lesson_route_key)
        return None

    @staticmethod
    def _use_cached_route(request, key: str) -> None:
        from .models import LessonPage

        entry = cache.get(key)
        if entry is None:
            return
        site, lesson, restrictions = entry
        if not isinstance(lesson, LessonPage) or not lesson.live:
            return  # let Wagtail route (and answer 404) as usual
        lesson._served_view_restrictions = restrictions
        request._wagtail_site = site
        request._wagtail_route_for_request = RouteResult(lesson)
        request._lesson_route_cached = True

    @staticmethod
    def _remember_route(request, key: str) -> None:
        from .models import LessonPage

        route = getattr(request, "_wagtail_route_for_request", None)
        site = getattr(request, "_wagtail_site", None)
        if route is None or site is None or getattr(request, "is_preview", False):
            return
        page, args, kwargs = route
        if not isinstance(page, LessonPage) or args or kwargs:
            return
        restrictions = list(page.get_view_restrictions())
        fresh = LessonPage.objects.filter(pk=page.pk, live=True).first()  # a clean copy to keep
        if fresh is not None:
            cache.set(key, (site, fresh, restrictions), BODY_TTL)
