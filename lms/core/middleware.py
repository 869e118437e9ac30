"""Request guards for the two audiences: officers stay on the public site; new accounts set a password."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from csp.middleware import CSPMiddleware


class StaffAreaMiddleware:
    """Officers (and any user without admin access) get a clear 403 instead of the admin login loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith("/admin/")
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            return render(request, "core/staff_only.html", status=403)
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """Accounts created with an initial password must set their own before doing anything else."""

    ALLOWED_URL_NAMES = ("password_change", "password_change_done", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/i18n/")):
                return redirect("password_change")
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte in the path or any parameter is a bad request (400), never a database error (500).

    PostgreSQL refuses NUL in text and JSON values; no form or link of ours ever sends one, so the request
    is refused before any view could try to store or look up such a value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET) or (
            request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data")
            and self._has_nul(request.POST)
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(params) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the Wagtail admin's allowances added under /admin/ only."""

    def get_policy_parts(self, request, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE, **(parts.update or {})}
        return parts
