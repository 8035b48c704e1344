"""Sinergi settings. Every deployment difference comes from the environment; see `.env.example`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sinergi.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SINERGI_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SINERGI_DEBUG", False)


def owner_only(path: Path) -> Path:
    """Create `path` as an empty file readable and writable by its owner alone, or take such
    rights from an existing one that others could read (the secret key, the SQLite database)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    return path


def _secret_key() -> str:
    """The configured key, else one generated once and kept in the data folder."""
    configured = env_str("SINERGI_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written whole to an owner-only file, then linked into place: processes starting
        # together all end up reading the one key that won.
        fresh = DATA_DIR / f".secret_key.{os.getpid()}"
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(fresh, key_file)
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
    return owner_only(key_file).read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SINERGI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SINERGI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "sinergi.core",
    "sinergi.accounts",
    "sinergi.registry",
    "sinergi.imports",
    "sinergi.programs",
    "sinergi.reviews",
    "sinergi.insight",
    "sinergi.api",
    "sinergi.presets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sinergi.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sinergi.core.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergi.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database: embedded SQLite in the data folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sinergi.sqlite3'}"),
        # Connections are kept for a minute (and checked before reuse): opening one per request
        # costs PostgreSQL a new backend process each time.
        conn_max_age=env_int("SINERGI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the database, and later its -wal and -shm files, with the mode of the
    # database file: create it owner-only so none of them is readable by other accounts.
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        for _suffix in ("", "-wal", "-shm"):
            _path = Path(_sqlite_name + _suffix)
            if _suffix == "" or _path.exists():
                owner_only(_path)
    # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on the busy timeout instead of failing "database is locked" mid-transaction.
    # mmap_size: the database file is read through a memory map shared by every connection
    # (the operating system's own page cache) instead of a read() and a copy per page into each
    # connection's small cache: a scan of the national registry's 100,000 enterprises takes a
    # third of the time (bench/README.md). 0 turns it off.
    _mmap = env_int("SINERGI_SQLITE_MMAP_MB", 1024) * 1024 * 1024
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA busy_timeout=20000; PRAGMA mmap_size={_mmap};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- What each app process keeps in its own memory per registry version: list counts, list
# pages, dashboard pictures. Django's default of 300 entries held less than ten people's pages
# of one minute (each list page keeps two or three entries), so a page asked again had already
# been dropped (bench/README.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("SINERGI_CACHE_ENTRIES", 3000)},
    }
}

# --- Accounts and sign-in.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SINERGI_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sinergi.accounts.validators.NotTheCurrentPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SINERGI_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env_int("SINERGI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SINERGI_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("SINERGI_LOGIN_THROTTLING", True)
# One address failing this often over any user names (password spraying) is locked out as well
# (sinergi/accounts/throttling.py); 0 turns that off.
SINERGI_LOGIN_ADDRESS_LIMIT = env_int("SINERGI_LOGIN_ADDRESS_LIMIT", 20)
AXES_HANDLER = "sinergi.accounts.throttling.SinergiAxesHandler"
# Behind reverse proxies every request comes from the proxy's address; SINERGI_TRUSTED_PROXIES
# says how many proxies append to X-Forwarded-For, so the client's own address is counted.
TRUSTED_PROXIES = env_int("SINERGI_TRUSTED_PROXIES", 0)
# The address the nearest proxy connects from: only its X-Forwarded-* headers are believed by
# Sinergi's web server (sinergi/core/serving.py).
SINERGI_PROXY_ADDRESS = env_str("SINERGI_PROXY_ADDRESS", "127.0.0.1")


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry of X-Forwarded-For that the nearest
    trusted proxy saw (entries further left can be forged by the client)."""
    from django.conf import settings

    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote


AXES_CLIENT_IP_CALLABLE = client_ip

# --- Languages: Indonesian by default, English and Vietnamese.
# The default interface language of the deployment (a user's saved choice wins): Indonesian
# unless SINERGI_LANGUAGE says otherwise, e.g. `vi` for a Vietnamese province.
LANGUAGES = [("id", _("Indonesian")), ("en", _("English")), ("vi", _("Vietnamese"))]
LANGUAGE_CODE = env_str("SINERGI_LANGUAGE", "id")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"SINERGI_LANGUAGE={LANGUAGE_CODE!r}: use one of {', '.join(dict(LANGUAGES))}."
    )
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("SINERGI_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_THOUSAND_SEPARATOR = True
# Dates, times and numbers per language (sinergi/formats): 31/12/2025 21:56, vi 10.602,5.
FORMAT_MODULE_PATH = ["sinergi.formats"]

# --- Static files are served by the app itself (no CDN: intranets have no internet).
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files (attachments, import uploads) are readable by the service account alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Security. Production sets SINERGI_HTTPS=true behind a TLS-terminating proxy.
HTTPS = env_bool("SINERGI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The proxy's health check asks each app server over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SINERGI_MAX_FORM_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- REST API (sinergi/api, docs/api.md): per-user tokens or the page session, the pages'
# filtersets, the same service functions. The browsable API needs no CDN and no inline script.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sinergi.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sinergi.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["sinergi.api.filters.StrictFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON only: one way to send data (the browsable API's "Raw data" form sends JSON too).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sinergi.api.exceptions.exception_handler",
    # The browsable API's titles and breadcrumbs in the reader's language.
    "VIEW_NAME_FUNCTION": "sinergi.api.names.view_name",
    "VIEW_DESCRIPTION_FUNCTION": "sinergi.api.names.view_description",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sinergi API",
    "DESCRIPTION": "Zones, enterprises, organisations, figures and the coordination program.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so read-only fields are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "ZoneKindEnum": "sinergi.registry.choices.ZoneKind",
        "ZoneStatusEnum": "sinergi.registry.choices.ZoneStatus",
        "EnterpriseStatusEnum": "sinergi.registry.choices.EnterpriseStatus",
        "ProgramStatusEnum": "sinergi.programs.choices.ProgramStatus",
        "TaskStatusEnum": "sinergi.programs.choices.TaskStatus",
        "ReportStatusEnum": "sinergi.programs.choices.ReportStatus",
        "PeriodKindEnum": "sinergi.programs.choices.PeriodKind",
        "ActivityKindEnum": "sinergi.programs.choices.ActivityKind",
        "ImportStatusEnum": "sinergi.imports.models.BatchStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sinergi.api.schema.document_errors",
    ],
}

# --- Background jobs: the database backend, so nothing else has to run beside the app.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env_str("SINERGI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("SINERGI_FROM_EMAIL", "sinergi@localhost")

# Filters: an unset choice reads as a word ("Any"), not as Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")

DJANGO_TABLES2_TEMPLATE = "core/_table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"ordinary_refusals": {"()": "sinergi.core.logging.OrdinaryRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["ordinary_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("SINERGI_LOG_LEVEL", "WARNING")},
}

# --- Sinergi's own settings.
# The country whose tax-id rule applies to new enterprises unless one is given (VN or ID).
SINERGI_COUNTRY = env_str("SINERGI_COUNTRY", "VN")
# Workforce bands (lower bounds, in workers) used by filters and charts.
SINERGI_WORKFORCE_BANDS = [0, 10, 50, 200, 1000]
# Uploads: the largest file accepted, and what a zipped format (XLSX, DOCX, ODS) may unpack to.
SINERGI_MAX_UPLOAD_BYTES = env_int("SINERGI_MAX_UPLOAD_MB", 20) * 1024 * 1024
SINERGI_ZIP_MAX_UNPACKED_BYTES = env_int("SINERGI_ZIP_MAX_UNPACKED_MB", 300) * 1024 * 1024
SINERGI_ZIP_MAX_ENTRIES = env_int("SINERGI_ZIP_MAX_ENTRIES", 2000)
SINERGI_ZIP_MAX_RATIO = env_int("SINERGI_ZIP_MAX_RATIO", 200)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The address people reach Sinergi at, for links in e-mails (reminders).
SINERGI_BASE_URL = env_str("SINERGI_BASE_URL", "http://localhost:8000")
# The registry's reporting dates (MM-DD): recording figures proposes the next one.
SINERGI_REPORTING_DATES = env_list("SINERGI_REPORTING_DATES", ["06-30", "12-31"])
# A task is "due soon" this many days before its due date.
SINERGI_DUE_SOON_DAYS = env_int("SINERGI_DUE_SOON_DAYS", 14)
# Figures for a reporting date count as reported on time when first recorded within this many
# days after it (the dashboard's reporting completeness).
SINERGI_FIGURES_DUE_DAYS = env_int("SINERGI_FIGURES_DUE_DAYS", 30)
# The demo (`sinergi demo`) dates its story relative to this day (YYYY-MM-DD) instead of today
# (sinergi/presets/demo_calendar.py); empty: today.
SINERGI_DEMO_TODAY = env_str("SINERGI_DEMO_TODAY", "")
