"""Production: refuses to start without a real secret and hosts; HTTPS behind a reverse proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, DEV_SECRET_KEY, PRIVATE_STORAGE, SECRET_KEY
from .env import env_bool, env_int

DEBUG = False
IS_PRODUCTION = True

if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be set to a random value of at least 50 characters "
        "in production (e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')"
    )
if not ALLOWED_HOSTS or ALLOWED_HOSTS == ["127.0.0.1", "localhost"] or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Environment variable ALLOWED_HOSTS must list the host names this site is served under, "
        "comma-separated (e.g. xuefa.cgj.example.gov.cn); '*' is not allowed in production"
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# The reverse proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Keep database connections open between requests (PgBouncer or PostgreSQL takes the rest).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)

# Wagtail's page preview is an iframe of our own origin, so frames must be allowed from the same
# origin (X_FRAME_OPTIONS = "SAMEORIGIN" in base); the deploy check's W019 asks for DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
