"""Officer-facing pages of the platform shell: home, sign-in, password, health check."""

import ipaddress
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .forms import OfficerAuthenticationForm

logger = logging.getLogger(__name__)


def home(request):
    context = {}
    if request.user.is_authenticated:
        from .home import officer_home

        context["home"] = officer_home(user=request.user)
    return render(request, "core/home.html", context)


class OfficerLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = OfficerAuthenticationForm  # says the tries left after a failure
    redirect_authenticated_user = True


class OfficerPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")
    return cache.__class__.__name__


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process (eager)"
    from lms.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "connected"


def _may_see_health_details(request) -> bool:
    """Staff (admin access) anywhere, or a caller on this host (monitoring agents, the load balancer's
    local checks). The address is the one axes trusts (AXES_IPWARE_PROXY_COUNT), so a forged
    X-Forwarded-For does not pass for the local host."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return True
    from axes.helpers import get_client_ip_address

    try:
        return ipaddress.ip_address(get_client_ip_address(request) or "").is_loopback
    except ValueError:
        return False


@never_cache
def healthz(request):
    """Database, cache and broker state for load balancers: 200 when all are up, 503 otherwise.

    Only staff and the local host see which dependency failed and why; others get the status code."""
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # any failure of a dependency is reported, never raised
            logger.warning("healthz: %s check failed: %s", name, exc)
            checks[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}"[:300]}
            healthy = False
    body = {"status": "ok" if healthy else "error"}
    if _may_see_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
