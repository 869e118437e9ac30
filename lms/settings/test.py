"""Test settings: fast hashing, local cache, eager tasks unless a test starts a real worker."""

import os

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, PRIVATE_STORAGE
from .env import env_bool

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Integration tests point the broker at Redis; everything else runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
AXES_FAILURE_LIMIT = 5
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # A real folder when a test runs several processes against one storage (PRIVATE_MEDIA_ROOT set).
    "private": PRIVATE_STORAGE if os.environ.get("PRIVATE_MEDIA_ROOT") else {
        "BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
