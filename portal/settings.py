"""Settings, all from the environment (see the configuration table in README.md).

Defaults are for `make run` on a laptop: a SQLite file and a filesystem broker under
`var/`, so nothing but Python is needed. Tests and production set DATABASE_URL and
CELERY_BROKER_URL to PostgreSQL and Redis/RabbitMQ.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


DEVELOPMENT_SECRET_KEY = "insecure-dev-key-change-me-in-production"  # refused with PORTAL_HTTPS
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "django_celery_beat",
    "csp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our static (no CDN)
    "portal",
    "portal.api",
    "portal.events",
    "dids",
    "e911",
    "messaging",
    "porting",
    "customers",
    "compliance",
]

MIDDLEWARE = [
    "portal.api.middleware.ProblemJsonForApiMiddleware",  # /api/: every refusal as problem+json
    "portal.middleware.RefuseOversizedRequestsMiddleware",  # 413 before the body is read
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RefuseNulBytesMiddleware",  # 400, never a 500, for a NUL anywhere
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.sessions.IdleSessionMiddleware",  # activity keeps a session alive (SESSION_IDLE_SECONDS)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.NoStoreMiddleware",  # data pages are kept by no browser or proxy
    "portal.method_not_allowed.ReadableMethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker write the same file at once: WAL + IMMEDIATE + a busy timeout keep
    # "database is locked" away (DESIGN.md, pitfalls).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- I18N / time ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

# --- Static -----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Serve straight from static/ and the apps when collectstatic has not run (tests, first run).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # Embedded broker for `make run`: no server, one worker (DESIGN.md, pitfalls).
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        # kombu otherwise writes its exchange table to ./control in whatever the cwd is.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # A sync can outlast Redis' default one-hour visibility timeout; syncs are also locked.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING above (same format and time zone as the web), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Queues by kind of work (portal/queues.py): interactive, bulk, sync — one worker each, so a
# sync or a small check never waits behind a bulk job. Unrouted tasks go to "interactive".
CELERY_TASK_ROUTES = ("portal.queues.route_task",)
CELERY_TASK_DEFAULT_QUEUE = "interactive"
# VI calls in flight at once inside a bulk job, per worker process (e911/bulk.py, portal/bounded.py).
VI_MAX_CONCURRENCY = max(1, int(env_float("VI_MAX_CONCURRENCY", 8)))
# A VI call made inside an open database transaction raises instead of being logged
# (portal/voipinnovations/transactions.py). The test suite turns it on.
VI_REFUSE_CALLS_IN_TRANSACTION = env_bool("VI_REFUSE_CALLS_IN_TRANSACTION", False)

# --- VoIP Innovations -------------------------------------------------------
# Credentials come from the environment only; they are never stored in the database.
VI_WSDL = os.environ.get(
    "VI_WSDL", str(BASE_DIR / "portal" / "voipinnovations" / "wsdl" / "APIService.wsdl")
)
VI_API_URL = os.environ.get("VI_API_URL", "http://127.0.0.1:8089/Services/APIService.asmx")
VI_LOGIN = os.environ.get("VI_LOGIN", "sandbox")
VI_SECRET = os.environ.get("VI_SECRET", "sandbox-secret")
VI_CONNECT_TIMEOUT = env_float("VI_CONNECT_TIMEOUT", 5.0)
VI_READ_TIMEOUT = env_float("VI_READ_TIMEOUT", 60.0)
VI_AUDIT_READ_TIMEOUT = env_float("VI_AUDIT_READ_TIMEOUT", 600.0)  # an audit's idle timeout
VI_AUDIT_DEADLINE = env_float("VI_AUDIT_DEADLINE", 3600.0)  # an audit's whole answer
VI_REQUEST_DEADLINE = env_float(
    "VI_REQUEST_DEADLINE", 90.0
)  # all of one web request's calls; < gunicorn --timeout

# --- Sync -------------------------------------------------------------------
# A complete audit that would mark more than this share of the mirror gone is held for
# a person to confirm instead of being applied.
SYNC_MAX_GONE_FRACTION = env_float("SYNC_MAX_GONE_FRACTION", 0.10)
SYNC_STALE_AFTER_SECONDS = int(os.environ.get("SYNC_STALE_AFTER_SECONDS", "3600"))

# --- Compliance -------------------------------------------------------------
# A 911 street address used by more owned numbers than this, with no suite/floor/room, is
# flagged as probably needing one (RAY BAUM's Act); so is one shared by several clients.
COMPLIANCE_SHARED_ADDRESS_NUMBERS = int(os.environ.get("COMPLIANCE_SHARED_ADDRESS_NUMBERS", "10"))
# The nightly 911 re-validation: validate911 calls per night, and the pause between them.
COMPLIANCE_REVALIDATE_BATCH = int(os.environ.get("COMPLIANCE_REVALIDATE_BATCH", "500"))
COMPLIANCE_REVALIDATE_PAUSE_SECONDS = env_float("COMPLIANCE_REVALIDATE_PAUSE_SECONDS", 0.5)

# --- Portal -----------------------------------------------------------------
# The dashboard warns when VI's prepaid balance falls below this (US dollars).
LOW_BALANCE_WARNING = os.environ.get("LOW_BALANCE_WARNING", "50.00")
# Absolute links in e-mails (port notifications); pages themselves use relative links.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Mail -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The zone in every line: Django runs in TIME_ZONE, and `make run` gives every process
    # (gunicorn, the workers) the same one, so all lines of one run read alike.
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # zeep's transport logger prints whole envelopes, secret included, at DEBUG.
        "zeep.transports": {"level": "WARNING"},
        "zeep": {"level": "WARNING"},
        "axes": {
            "level": "WARNING"
        },  # a banner on every command, a line for every sign-in; lockouts stay
        # A line per task received and per task done (events are dispatched every second):
        # failures stay (ERROR); each sync logs its own summary line (portal/sync/services.py).
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "celery.beat": {"level": "WARNING"},
        # "No hostname was supplied" on every connection of the embedded filesystem broker.
        "kombu.connection": {"level": "ERROR"},
    },
}

# --- Security (docs/security.md has the threat model) -------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A session ends after this long without a request (a working day by default), not at a
# fixed time after sign-in: activity moves the deadline (portal/sessions.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(8 * 3600)))

# Request bodies: refused above this size before they are read (portal.middleware); form
# fields (not files) are held in memory up to Django's 2.5 MB, files above 1 MB go to disk.
PORTAL_MAX_REQUEST_BYTES = int(os.environ.get("PORTAL_MAX_REQUEST_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# Reverse proxies in front of the portal that set X-Forwarded-For / X-Forwarded-Proto. 0 (the
# default) trusts neither header: anyone could write them.
PORTAL_PROXY_COUNT = int(os.environ.get("PORTAL_PROXY_COUNT", "0"))
if PORTAL_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# PORTAL_HTTPS=true: everything a site served over HTTPS needs. `make run` (plain HTTP on
# loopback) leaves it off.
PORTAL_HTTPS = env_bool("PORTAL_HTTPS", False)
if PORTAL_HTTPS:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "PORTAL_HTTPS is on but DJANGO_SECRET_KEY is the built-in development key (or shorter than 50 "
            "characters). Set a long random one: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("PORTAL_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PORTAL_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("PORTAL_HSTS_PRELOAD", True)

# Content Security Policy (django-csp). Scripts come only from our own static files: no inline
# handler, no eval (htmx runs with allowEval off, templates/base.html), no CDN. Inline style
# attributes stay allowed (Bootstrap markup uses them; a style cannot run code). Enforced with
# PORTAL_HTTPS; over plain HTTP (make run, tests) the browser reports violations in its
# console without blocking, so a page under development is not broken by it.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [
            SELF,
            NONCE,
        ],  # NONCE: a full page's own <script nonce="{{ request.csp_nonce }}">
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
if env_bool("PORTAL_CSP_ENFORCE", PORTAL_HTTPS):
    CONTENT_SECURITY_POLICY = _CSP
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP

# Sign-in throttling (django-axes, portal/throttling.py): AXES_FAILURE_LIMIT wrong passwords
# for one account, or from one address, pause sign-in there for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "portal.throttling.LoginThrottleBackend",
    # ModelBackend, with a person's roles and permissions read in one query.
    "portal.auth_backends.RoleBackend",
    # Only so that sessions signed in before RoleBackend existed stay signed in: it finds
    # the permissions RoleBackend already cached on the user, so it asks nothing more.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "portal.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "portal.throttling.attempted_username"

LOGIN_URL_PATH = "/accounts/login/"

# JSON API (portal/api, issue 18): tokens only (Authorization: Bearer …); the session only
# where a person reads the docs. Errors are application/problem+json (portal/api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.RolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE_PER_TOKEN", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VI Back Office Portal API",
    "DESCRIPTION": "The portal's services over JSON: same permissions, history and provider log as its pages. "
    "Numbers are E.164 (+1 and ten digits). Errors are application/problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a "status": each its own enum, named for what it is (a portability
    # check has the same four states as an API job, so it shares JobStatusEnum).
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": ["queued", "running", "finished", "failed"],
        "SyncRunStatusEnum": "portal.models.SyncRun.Status",
        "CampaignStatusEnum": "messaging.models.CampaignStatus",
        # The events resource: named for events, so a later "type" or "source" field elsewhere
        # gets its own enum instead of colliding with these.
        "EventTypeEnum": "portal.events.types.EventType",
        "EventSourceEnum": "portal.events.types.EventSource",
        "SubjectKindEnum": "portal.events.types.SubjectKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.add_problem_responses",
    ],
}

# Webhooks (portal/events/webhooks.py): refuse receivers on loopback/private addresses, so the
# portal cannot be made to probe its own network; a development receiver may need this on.
WEBHOOKS_ALLOW_PRIVATE = os.environ.get("WEBHOOKS_ALLOW_PRIVATE", "") == "1"
