"""Gapmap settings, read from the environment.

With no variable set, Gapmap runs in its *embedded default*: SQLite in the project folder,
Celery tasks run eagerly in-process, e-mail printed to the console, a local-memory cache
and DEBUG on. Every variable is listed in the README's configuration table.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: it is required whenever DEBUG is off "
            "(set SECRET_KEY to a long random string)."
        )
    SECRET_KEY = "gapmap-embedded-default-key-not-for-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's own security.W009 limits, refused instead of warned: sessions, password resets
    # and signed values are only as strong as this key.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: it must be at least 50 characters with at least 5 different "
        "ones whenever DEBUG is off (set SECRET_KEY to a long random string)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens: hashed, expiring, bound to the password (replaces rest_framework.authtoken).
    "registry.tokens.apps.TokensConfig",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "registry.apps.RegistryConfig",
    "proposals.apps.ProposalsConfig",
    # Apps of their own inside registry/ (each with its models, migrations and admin).
    "registry.notifications.apps.NotificationsConfig",
    "registry.discovery.apps.DiscoveryConfig",
    "registry.moderation.apps.ModerationConfig",
    "registry.feedback.apps.FeedbackConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the cookie or Accept-Language (then the person's own, below).
    "django.middleware.locale.LocaleMiddleware",
    "registry.core.middleware.RejectNulInAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "registry.languages.PersonLanguageMiddleware",
    "registry.core.cache_headers.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "registry.core.middleware.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header's name, roles and counts (the unread count among them).
                "registry.moderation.context_processors.header",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'gapmap.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a page's query whose estimated cost passes jit_above_cost (the
    # notifications' visibility subqueries do) spent 250 ms compiling to save a few ms of
    # running. Short queries are the whole workload of a web process.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements: psycopg prepares a query the fifth time a connection runs it, and
    # PostgreSQL reuses its plan from then on. The visibility rules make queries that took
    # 6-50 ms to plan and 1 ms to run (/me/ 155 -> 117 ms). Search plans each query for its
    # words (discovery.search.custom_plans). A pooler in transaction mode (PgBouncer without
    # max_prepared_statements) cannot keep them: DATABASE_PREPARE=false there.
    if env.bool("DATABASE_PREPARE", default=True):
        # config.postgresql: Django's backend, batching bulk writes to what one statement
        # may carry under server-side binding.
        DATABASES["default"]["ENGINE"] = "config.postgresql"
        DATABASES["default"]["OPTIONS"].update(
            server_side_binding=True,
            prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=5))
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=1),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, with one client per connection pool instead of one per call.
    CACHES = {"default": {"BACKEND": "registry.core.redis_cache.ReusedClientRedisCache",
                          "LOCATION": REDIS_URL}}
    # Every signed-in request reads its session: from the shared cache, written through to
    # the database, so a signed-in page costs one query fewer. Only with a shared cache: a
    # per-process cache would keep serving a session another process ended (log-out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "LOCATION": "gapmap"}}
# Each process keeps copies of the shared cache's versioned entries (shared fragments, the
# header's unread count: registry.core.caching.LocalCopies), read without a round trip to Redis.
# Off where the shared cache is this process's own memory already.
LOCAL_CACHE_MAX_BYTES = env.int("LOCAL_CACHE_MAX_BYTES",
                                default=16 * 1024 * 1024 if REDIS_URL else 0)

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading what the header shows with the person (one query a request).
    "registry.moderation.backends.PersonBackend",
]
# Log-in lockout (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, further attempts are refused until the cool-off passes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Client identity: how many reverse proxies in front of us append to X-Forwarded-For. With 0,
# the header is ignored (anyone can write it); with N, its N-th entry from the right is the
# client. Every rate limit and the log-in lockout count by registry.core.clients.client_address.
GAPMAP_TRUSTED_PROXIES = env.int("GAPMAP_TRUSTED_PROXIES", default=0)
if GAPMAP_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(
        f"GAPMAP_TRUSTED_PROXIES must be 0 or more, not {GAPMAP_TRUSTED_PROXIES}.")
AXES_CLIENT_IP_CALLABLE = "registry.core.clients.client_address"
# Reports count toward hiding content only from people with standing: an account at least this
# many days old, or one with a published writeup or a claim (registry.moderation.services).
GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS = env.int("GAPMAP_REPORT_MIN_ACCOUNT_AGE_DAYS", default=7)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "registry:home"
LOGOUT_REDIRECT_URL = "registry:home"

# --- I18N / time ----------------------------------------------------------------------------
# Gapmap speaks English and Spanish (issue 18). The language is the person's choice (the
# switcher: a cookie, and their profile when signed in), else the browser's Accept-Language,
# else English. URLs are the same in every language. README: "Adding a language".
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
LANGUAGE_COOKIE_NAME = "gapmap_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
# Where collectstatic writes (and production serves from); its staticfiles.json must exist.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Gapmap <gapmap@localhost>")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker configured: run tasks in-process, so the embedded default needs nothing running.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis only: a task taken by a worker that dies is handed out again after this many seconds.
# Keep it above the longest countdown (GAPMAP_NOTIFY_BATCH_MINUTES), or delayed tasks run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a bad token gets 401 with WWW-Authenticate rather than a bare 403.
        "registry.tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "registry.core.parsers.StrictJSONParser",
        "registry.core.parsers.StrictFormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "registry.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["registry.core.throttling.ActionScopedRateThrottle"],
    # Our throttles count by registry.core.clients.client_address; this keeps any stock DRF
    # throttle from trusting X-Forwarded-For beyond the same proxy count.
    "NUM_PROXIES": GAPMAP_TRUSTED_PROXIES,
    # Shared by the API and the HTML forms (registry.core.throttling), per person or per address.
    "DEFAULT_THROTTLE_RATES": {
        "signup": env.str("RATE_SIGNUP", default="5/hour"),
        "login": env.str("RATE_LOGIN", default="20/hour"),
        "post": env.str("RATE_POST", default="60/hour"),
        "claim": env.str("RATE_CLAIM", default="20/hour"),
        # Password reset: per e-mail address asked for, and per client address.
        "password_reset": env.str("RATE_PASSWORD_RESET", default="3/hour"),
        "password_reset_client": env.str("RATE_PASSWORD_RESET_CLIENT", default="10/hour"),
        # Reports per client address, whoever is signed in (besides each person's "post").
        "report_client": env.str("RATE_REPORT_CLIENT", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gapmap API",
    "DESCRIPTION": "Topics that still need an expert, their claims, writeups and proposals.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {
        "ProposalStageEnum": "proposals.models.Stage",
        "WithdrawReasonEnum": "proposals.models.WithdrawReason",
        "WriteupKindEnum": "registry.models.Writeup.Kind",
        "NotificationDeliveryEnum": "registry.notifications.models.Delivery",
        "ReportReasonEnum": "registry.moderation.models.ReportReason",
        # Owner and co-author invitations share their states.
        "InvitationStateEnum": "proposals.models.Invitation.State",
        "EndorsementStateEnum": "registry.models.Endorsement.State",
        "RecognitionSourceEnum": "registry.models.Recognition.Source",
        "ReviewRequestStateEnum": "registry.feedback.models.ReviewRequest.State",
        "ReviewCommentStateEnum": "registry.feedback.models.ReviewComment.State",
    },
}

# --- Gapmap rules ---------------------------------------------------------------------------
GAPMAP_MAX_ACTIVE_CLAIMS = env.int("GAPMAP_MAX_ACTIVE_CLAIMS", default=2)
GAPMAP_CLAIM_DORMANT_DAYS = env.int("GAPMAP_CLAIM_DORMANT_DAYS", default=183)
GAPMAP_CLAIM_REMINDER_DAYS = env.int("GAPMAP_CLAIM_REMINDER_DAYS", default=150)
GAPMAP_OWNER_INVITE_DAYS = env.int("GAPMAP_OWNER_INVITE_DAYS", default=14)
# A review request on a draft expires after this many days unless the reviewer finished it;
# the reviewer is reminded once, GAPMAP_REVIEW_REMINDER_DAYS before that (registry.feedback).
GAPMAP_REVIEW_REQUEST_DAYS = env.int("GAPMAP_REVIEW_REQUEST_DAYS", default=21)
GAPMAP_REVIEW_REMINDER_DAYS = env.int("GAPMAP_REVIEW_REMINDER_DAYS", default=3)
# A writeup's author becomes recognised on its topic once it has this many live frontier
# endorsements from different people (registry.services.endorsements).
GAPMAP_ENDORSEMENTS_TO_RECOGNISE = env.int("GAPMAP_ENDORSEMENTS_TO_RECOGNISE", default=2)
if GAPMAP_ENDORSEMENTS_TO_RECOGNISE < 1:
    raise ImproperlyConfigured(
        f"GAPMAP_ENDORSEMENTS_TO_RECOGNISE must be 1 or more, not "
        f"{GAPMAP_ENDORSEMENTS_TO_RECOGNISE}.")

# Who hears each domain event (registry.core.events), in order: the one place where a change
# in the registry or proposals reaches the apps that follow it up. Stats come first, so the
# others read them fresh.
GAPMAP_EVENT_SUBSCRIBERS = {
    "topic_event": ["registry.discovery.stats.on_topic_event",
                    "registry.notifications.services.notify_topic_event",
                    "registry.discovery.followups.on_topic_event",
                    # A draft published or deleted closes its review requests.
                    "registry.feedback.services.reviews.on_topic_event"],
    "proposal_event": ["registry.discovery.stats.on_proposal_event",
                       "registry.notifications.services.notify_proposal_event",
                       "registry.discovery.followups.on_proposal_event",
                       # A proposal leaving analysis closes its pending review requests.
                       "registry.feedback.services.reviews.on_proposal_event"],
    "proposal_edited": ["registry.discovery.stats.on_proposal_edited",
                        "registry.discovery.followups.on_proposal_edited"],
    "topics_changed": ["registry.discovery.stats.on_topics_changed",
                       "registry.discovery.followups.on_topics_changed"],
}
# An API token (registry.tokens) works for this many days after it is issued.
GAPMAP_API_TOKEN_DAYS = env.int("GAPMAP_API_TOKEN_DAYS", default=30)
# Content is hidden, until a moderator decides, once this many different people report it.
GAPMAP_REPORTS_TO_HIDE = env.int("GAPMAP_REPORTS_TO_HIDE", default=3)
# Notifications for one person within this many minutes go out as one e-mail. Without a broker
# there is no delayed task to wait for the window, so the embedded default sends at once.
GAPMAP_NOTIFY_BATCH_MINUTES = env.int(
    "GAPMAP_NOTIFY_BATCH_MINUTES", default=0 if CELERY_TASK_ALWAYS_EAGER else 10
)
# Where people reach the site: e-mails need absolute links.
GAPMAP_SITE_URL = env.str("GAPMAP_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Security headers and production hardening ----------------------------------------------
# Scripts only from our own origin: no inline script, no eval, nothing from elsewhere. Inline
# styles are allowed because the API docs (Swagger UI) set style attributes from script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request bodies: a writeup may hold 100,000 characters (up to 4 bytes each in UTF-8).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy, trust its X-Forwarded-Proto header (and only then).
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies are bound to this exact host, over HTTPS, for path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
