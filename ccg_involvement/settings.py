"""Settings for the involvement compliance tracker.

One module, read from the environment (and an optional ``.env`` file) with django-environ.
Every variable is listed, with its default, in README.md and ``.env.example``; a test checks
that the three agree. Required values have no default outside DEBUG: a missing ``SECRET_KEY``
stops the process with a message that names the variable. An empty value means *unset* for every
variable (``STATIC_ROOT=`` is the default folder, never the current directory), and path settings
are taken relative to the project folder. ``ccg_involvement.checks`` refuses a static or media
folder that would publish the project.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

environ.Env.read_env(BASE_DIR / ".env")
env = environ.Env()
# ``NAME=`` (as copied from an example file) means "not set": the default applies, never "".
env.ENVIRON = {name: value for name, value in os.environ.items() if value.strip()}


def env_path(name: str, default: Path) -> Path:
    """A folder or file setting: absolute, relative ones taken from the project folder (not the cwd)."""
    return (BASE_DIR / Path(env.str(name, default=str(default))).expanduser()).resolve()


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (a long random string) "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "ccg_involvement.apps.PlatformAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "ccg_involvement.nhsuk_forms",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "ccg_involvement",
    "duties",
    "engagements",
    "engagements.proposals",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ccg_involvement.sessions.SessionRefreshMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ccg_involvement.throttle.ThrottleMiddleware",
    "ccg_involvement.tenancy.OrganisationMiddleware",
]

# Widget templates are looked up as page templates are, so templates/ can override them.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "ccg_involvement.urls"
WSGI_APPLICATION = "ccg_involvement.wsgi.application"
ASGI_APPLICATION = "ccg_involvement.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ccg_involvement.context_processors.navigation",
            ],
            # {% url %} reversing each URL once per process (ccg_involvement/reversing.py)
            "builtins": ["ccg_involvement.reversing"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep each worker thread's connection open between requests (opening one costs a PostgreSQL
# backend process per request); checked before reuse so a restarted database is survived.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's default (4.0) assumes spinning disks; on SSD storage index lookups are cheap, and
    # the per-organisation queries stay index-driven (constant time) as the national data grows.
    PG_RANDOM_PAGE_COST = env.float("PG_RANDOM_PAGE_COST", default=1.1)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={PG_RANDOM_PAGE_COST}"
    )
    # QuerySet.iterator() (which every model select's options use) would otherwise declare a
    # server-side cursor WITH HOLD outside a transaction: four round trips and a materialised
    # result for a list of a few dozen rows. Nothing here streams a result too large to fetch.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Prepared statements: a page's queries are planned once per connection instead of on every run
    # (planning the item page's joins took PostgreSQL longer than running them). psycopg prepares a
    # query the fifth time a connection runs it; that needs server-side parameter binding. Turn it off
    # behind a connection pooler in transaction mode (PgBouncer before 1.21), which cannot keep them.
    if env.bool("PG_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server, the task worker and the tests read while one writes. Every write
    # transaction takes the write lock when it begins (IMMEDIATE), so two writers queue instead of
    # one failing with "database is locked" when its read lock cannot be upgraded; a writer waits up
    # to SQLITE_BUSY_TIMEOUT seconds for the lock (a 10,000-row import commits in well under that).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=60),
        }
    )

# Computed figures (the dashboards) are cached per version of an organisation's data, so a cache
# local to each process is correct; a shared one (e.g. redis://) saves recomputing per process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
FIGURES_CACHE = "default"
FIGURES_CACHE_VERIFY = False  # the tests turn this on: every cache hit is recomputed and compared

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (ccg_involvement/throttle.py): LOGIN_FAILURE_LIMIT wrong passwords for a username
# from one address (or from a browser where that user has logged in before) within
# LOGIN_LOCKOUT_MINUTES lock that pair for LOGIN_LOCKOUT_MINUTES; the page says until when. Failures
# for the username from everywhere only slow down its other attempts (1 s, doubling, at most
# LOGIN_DELAY_MAX_SECONDS): nobody can lock another person out. Changing a password counts the same
# way; password-reset requests are limited per address and spaced out per email.
AUTHENTICATION_BACKENDS = [
    "ccg_involvement.throttle.ThrottleBackend",
    "ccg_involvement.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
LOGIN_DELAY_MAX_SECONDS = env.int("LOGIN_DELAY_MAX_SECONDS", default=60)
# The client's address is the connection's (REMOTE_ADDR) unless the app runs behind this many proxies,
# each appending the address it saw to X-Forwarded-For (1 for the single TLS proxy README describes).
# Set it only when such proxies are really in front: otherwise a client could choose its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Locale: en-GB, UK time and UK date formats everywhere.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"]
FORMAT_MODULE_PATH = ["ccg_involvement.formats"]  # NHS style dates (see the module)

STATIC_URL = "/static/"
STATIC_ROOT = env_path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(env_path("MEDIA_ROOT", default=BASE_DIR / "media"))},
    },
    "staticfiles": {
        # WhiteNoise's compressed manifest storage, each URL worked out once (ccg_involvement/storage.py)
        "BACKEND": "ccg_involvement.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Uploaded evidence is never served from a public URL: MEDIA_URL is deliberately unset and
# every download goes through an authorised view.
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
MAX_UPLOAD_SIZE_MB = env.int("MAX_UPLOAD_SIZE_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND_PATH = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="involvement-tracker@localhost")
# An invitation's set-password link (Django's token generator) expires after this many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

SESSION_ENGINE = "ccg_involvement.sessions"  # Django's database sessions, read more cheaply
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# The age above counts from the last request (inactivity expiry). Rather than writing the session on
# every request, SessionRefreshMiddleware moves the expiry on at most once per SESSION_REFRESH_SECONDS.
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# History change reasons describe several changes at once; never truncate them.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend"),
    }
}

# Spreadsheets with more rows than this are refused whole (split them).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000)
# Imports of more rows than this are committed by a background task (engagements.tasks).
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=1000)

# A guide period for public consultations (practice, never a legal minimum: no statute sets one).
# A shorter consultation with no recorded reason why its period is adequate (Gunning 3) is warned about.
CONSULTATION_GUIDE_WEEKS = env.int("CONSULTATION_GUIDE_WEEKS", default=12)

# The site's address (e.g. https://involvement.example.nhs.uk): documents such as the decision record
# link to pages with it. Unset, they give plain references instead of links.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")

# Counts of people below this are shown as "fewer than N" in dashboards and reports.
SMALL_NUMBER_THRESHOLD = env.int("SMALL_NUMBER_THRESHOLD", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The Word template for the annual-report section; an administrator can point this at their own
# .docx (it must define the styles Title, Heading 1-3, List Bullet and Table Grid).
REPORT_DOCX_TEMPLATE = env_path(
    "REPORT_DOCX_TEMPLATE", default=BASE_DIR / "reports" / "docx" / "annual_report_template.docx"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
