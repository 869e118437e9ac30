"""Base settings: safe by default, everything read from the environment.

dev.py, test.py and production.py adjust these; nothing here may be a secret.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_db, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A development-only key. production.py refuses to start with it or without SECRET_KEY.
DEV_SECRET_KEY = "dev-insecure-key-only-for-local-use-never-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
IS_PRODUCTION = False  # production.py sets True; demo seeding and similar refuse to run there
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "lms.core",
    "lms.roster",
    "lms.exams",
    "lms.assessment",
    "lms.jobs",
    "question_bank",
    "courses",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "lms.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.core.middleware.StaffAreaMiddleware",
    "lms.core.middleware.ForcePasswordChangeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "courses.middleware.LessonRouteCacheMiddleware",
    # Axes must come last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.core.context_processors.site_nav",
            ],
        },
    },
]

# The embedded default is a SQLite file in the checkout; production sets DATABASE_URL.
DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
    # Django turns psycopg's prepared statements off (prepare_threshold None). Its cursors bind parameters on
    # the client and never prepare anyway; this lets the exam's hot statements, sent through
    # lms.core.db.planned_once_cursor, be planned once per connection after their fifth run on it. Off
    # (DB_PREPARED_STATEMENTS=0) behind a pooler in transaction mode that does not keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold a classroom: WAL lets readers work beside the writer, the busy timeout
    # makes a writer wait its turn instead of failing with "database is locked", and IMMEDIATE transactions
    # take the write lock up front (a deferred one that upgrades later fails at once, whatever the timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    env_url("REDIS_URL", REDIS_URL, ("redis", "rediss", "unix"))
    CACHES = {
        "default": {
            "BACKEND": "lms.core.redis_cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Officers: user name, phone or ID number, and the one-time initial code from an import.
    "lms.roster.auth.RosterAuthBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle repeated failed logins (officer site and Wagtail admin alike), per account and per address.
# lms.core.lockout resolves every spelling of an account (ID number in any case or width, phone, full-width
# user name) to one user name, so one account has one count and one lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# One address (an exam hall behind NAT) is shared by many officers: its own, higher limit.
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "lms.core.lockout.axes_username"
AXES_HANDLER = "lms.core.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "lms.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads waiting for confirmation and generated files (job results): never served by the web server,
# downloaded only through permission-checked views. Every node must see the same location (docs/deploy.md):
# a folder under MEDIA_ROOT on a shared volume by default, or an S3-compatible store via django-storages.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(MEDIA_ROOT / "private")))
PRIVATE_STORAGE = {
    "BACKEND": env_str("PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None, "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700},
}
if PRIVATE_STORAGE["BACKEND"] != "django.core.files.storage.FileSystemStorage":
    # storages.backends.s3.S3Storage (pip install '.[s3]'): a private bucket, e.g. on an intranet MinIO.
    PRIVATE_STORAGE["OPTIONS"] = {
        "bucket_name": env_str("PRIVATE_STORAGE_BUCKET", ""),
        "endpoint_url": env_str("PRIVATE_STORAGE_ENDPOINT_URL", "") or None,
        "access_key": env_str("PRIVATE_STORAGE_ACCESS_KEY", ""),
        "secret_key": env_str("PRIVATE_STORAGE_SECRET_KEY", ""),
        "region_name": env_str("PRIVATE_STORAGE_REGION", "") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# Jobs (lms.jobs): files and waiting uploads are removed after this age; a run that takes longer than its
# time limit counts as failed (its worker died); jobs no worker picked up fail after JOBS_PENDING_TIMEOUT.
JOBS_FILE_MAX_AGE = env_int("JOBS_FILE_MAX_AGE", 24 * 3600)
JOBS_DEFAULT_TIME_LIMIT = env_int("JOBS_DEFAULT_TIME_LIMIT", 1800)
JOBS_PENDING_TIMEOUT = env_int("JOBS_PENDING_TIMEOUT", 6 * 3600)

# Uploads: spreadsheets and documents stay modest; the importers check sizes again before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_IMPORT_UPLOAD_BYTES = env_int("MAX_IMPORT_UPLOAD_MB", 20) * 1024 * 1024

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's page preview renders in a same-origin iframe.
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp 4): every script, style, font and image comes from this site; no inline
# script runs on any page. Inline style attributes (progress bars' widths) cannot run code and stay allowed.
# The Wagtail admin gets the allowances it needs (lms.core.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    # Wagtail's admin (8.0) still writes inline <style> blocks and some inline scripts, and previews and
    # choosers use blob: images; these allowances apply under /admin/ only.
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}
SECURE_REFERRER_POLICY = "same-origin"

# Celery: Redis broker in production; without a broker, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL:
    env_url("CELERY_BROKER_URL", CELERY_BROKER_URL, ("redis", "rediss", "amqp", "memory"))
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or CELERY_BROKER_URL or "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Long tasks (grading, exports, imports): acknowledge after the work is done so a crashed worker's
# task is redelivered, and take one task at a time so a long one does not hold others hostage.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 600)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 720)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

WAGTAIL_SITE_NAME = "执法学法考试平台"
# Staff sign-in says how many tries remain before the lock, as the officers' page does (lms.core.forms).
WAGTAILADMIN_USER_LOGIN_FORM = "lms.core.forms.StaffLoginForm"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "mp4", "webm"]
# Documents are streamed by Wagtail's view, which checks login and collection restrictions (lms.core.documents);
# the web server must not serve MEDIA_ROOT/documents/ itself (docs/deploy.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False  # intranet deployments cannot reach the update server
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_USAGE_COUNT_ENABLED = False

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Wagtail 8 runs reference-index updates as tasks and logs each one at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

NAV_ITEMS = [
    # (url name, label) for the officer-facing navigation; apps add theirs as they land.
    ("home", _("Home")),
]
