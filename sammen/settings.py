"""Settings for Sammen, read from the environment only.

Every setting an operator may change is an environment variable, documented in
docs/deploy.md. Without any, Sammen runs on one machine with SQLite in var/.
"""

import json
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SAMMEN_VAR_DIR", BASE_DIR.parent / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret_key(path: Path) -> str:
    """Return the secret key kept in `path`, creating it once when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
TESTING = env_bool("SAMMEN_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The site's public address, for links in emails sent by the task worker (which has
# no request to take the host from).
SAMMEN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "sammen.core",
    "sammen.accounts",
    "sammen.spaces",
    "sammen.activities",
    "sammen.audit",
    "sammen.comments",
    "sammen.notifications",
    "sammen.moderation",
    "sammen.recognition",
    "sammen.insights",
    "sammen.webhooks",
    "sammen.api",
    "sammen.ambassadors",
    "sammen.calls",
    "sammen.conversations",
    "sammen.live",
    "sammen.journeys",
    "sammen.meetings",
    "sammen.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sammen.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sammen.accounts.middleware.SignInMethodMiddleware",
    "sammen.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sammen.accounts.middleware.OwnerTwoFactorMiddleware",
    "sammen.spaces.middleware.SingleSignOnMiddleware",
    "sammen.core.middleware.BusyDatabaseMiddleware",
    "sammen.ambassadors.attribution.ArrivalMiddleware",
]

ROOT_URLCONF = "sammen.urls"
FORM_RENDERER = "sammen.core.forms.FormRenderer"
ASGI_APPLICATION = "sammen.asgi.application"
WSGI_APPLICATION = "sammen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "sammen.core.context_processors.site",
                "sammen.activities.context_processors.join_with_code",
                "sammen.activities.context_processors.kind_stylesheets",
                "sammen.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# Database: SQLite in var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of failing with "database is locked" mid-transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # Django advises against persistent connections under ASGI; a pooler
            # (PgBouncer) or CONN_MAX_AGE for sync-only deployments can be set instead.
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
            conn_health_checks=True,
        )
    }
    # Connections each server process keeps open to PostgreSQL, through psycopg's pool:
    # opening one per request costs more than most pages do. The pool replaces
    # CONN_MAX_AGE, which Django advises against under ASGI.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "0"))
    if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_SIZE,
            # A request that gets no connection in this time is answered "very busy,
            # try again" (503, core.middleware.BusyDatabaseMiddleware), not kept waiting.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "30")),
        }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file named by URL (sqlite:///path) writes as the default one does.
        DATABASES["default"]["OPTIONS"] = {
            **SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "sammen.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            # Pages and live writes run in long-lived threads (sammen/asgi.py), so each
            # keeps its connection: opening one, with the PRAGMAs above, cost more than a
            # small page's queries.
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "600")),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis across processes and machines; a file cache in var/ otherwise, which
# the web server and the task worker share on one machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with one connection pool per process (see the module).
            "BACKEND": "sammen.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sammen",
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            # Django's, with an atomic add (see the module).
            "BACKEND": "sammen.core.cache.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Background tasks: stored in the database and run by `sammen db_worker`, which
# `sammen serve` starts beside the web server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# django-allauth: email and password, verified email, rate limits, no enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# When false, nobody can create an account (invitations still work for existing ones).
SAMMEN_SIGNUP_OPEN = env_bool("SAMMEN_SIGNUP_OPEN", True)
ACCOUNT_SIGNUP_FORM_CLASS = "sammen.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "sammen.accounts.adapter.AccountAdapter"
# allauth's subjects start "[<SAMMEN_NAME>] " (see AccountAdapter.format_email_subject).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}


def oidc_apps_from_env(value: str) -> list[dict[str, Any]]:
    """Return allauth's OpenID Connect apps for SAMMEN_OIDC_PROVIDERS (docs/deploy.md).

    The value is a JSON list of objects with id, name, server_url, client_id and
    secret (and, optionally, token_auth_method). Raise ImproperlyConfigured, naming
    what is wrong, rather than start with a provider nobody can sign in with.
    """
    if not value.strip():
        return []
    try:
        entries = json.loads(value)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"SAMMEN_OIDC_PROVIDERS is not valid JSON: {error}") from error
    if not isinstance(entries, list):
        raise ImproperlyConfigured("SAMMEN_OIDC_PROVIDERS must be a JSON list of providers.")
    apps = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        required = ("id", "name", "server_url", "client_id")
        if not isinstance(entry, dict) or any(
            not isinstance(entry.get(key), str) or not entry[key].strip() for key in required
        ):
            raise ImproperlyConfigured(
                f"SAMMEN_OIDC_PROVIDERS, provider {number}: id, name, server_url and "
                "client_id must each be a non-empty text."
            )
        provider_id = entry["id"].strip()
        if not provider_id.replace("-", "").replace("_", "").isalnum() or len(provider_id) > 50:
            raise ImproperlyConfigured(
                f"SAMMEN_OIDC_PROVIDERS, provider {number}: the id {provider_id!r} may hold "
                "only letters, digits, - and _ (at most 50); it is part of the callback URL."
            )
        if provider_id in seen:
            raise ImproperlyConfigured(f"SAMMEN_OIDC_PROVIDERS names {provider_id!r} twice.")
        seen.add(provider_id)
        app_settings = {"server_url": entry["server_url"].strip()}
        if entry.get("token_auth_method"):
            app_settings["token_auth_method"] = str(entry["token_auth_method"])
        apps.append(
            {
                "provider_id": provider_id,
                "name": entry["name"].strip(),
                "client_id": entry["client_id"].strip(),
                "secret": str(entry.get("secret", "")),
                "settings": app_settings,
            }
        )
    return apps


# Single sign-on: OpenID Connect providers from the environment, and any an operator
# adds as a "Social application" (provider OpenID Connect) in the admin. Each shows a
# "Sign in with <name>" button; a space can require one of its organisers
# (sammen/accounts/sso.py).
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": oidc_apps_from_env(os.environ.get("SAMMEN_OIDC_PROVIDERS", "")),
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_ADAPTER = "sammen.accounts.adapter.SocialAccountAdapter"
# A provider's address is trusted only when it says email_verified; then it signs in
# to, and is connected with, the account that has that address (allauth's rules,
# which also wipe the password of an account whose address was never verified).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = int(os.environ.get("SAMMEN_OIDC_TIMEOUT", "10"))

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sammen"
# When true, owners of a space must turn on two-factor authentication before they
# can manage it.
SAMMEN_REQUIRE_2FA_FOR_OWNERS = env_bool("SAMMEN_REQUIRE_2FA_FOR_OWNERS")

# Email: SMTP when set; otherwise each email is a file in var/mail/ (one per batch).
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "sammen.core.mail.PrivateFileEmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sammen <noreply@sammen.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: every page in English, Dutch, Danish and Swedish.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("da", "Dansk"),
    ("sv", "Svenska"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
LANGUAGE_COOKIE_NAME = "sammen_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Uploaded images are Sammen's alone (it serves them, checking who may see each):
    # 0600 in 0700 folders, like the database (sammen/core/files.py).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads: images only, a few megabytes at most, decoded and re-encoded by Pillow.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SAMMEN_MAX_IMAGE_BYTES = 5 * 1024 * 1024
SAMMEN_MAX_IMAGE_PIXELS = 40_000_000

# Security headers on every response.
HTTPS = env_bool("SAMMEN_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the token reaches htmx through the page, not the cookie
CSRF_FAILURE_VIEW = "sammen.core.views.csrf_failure"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list binds the operator's whole domain to
        # HTTPS for good; that is their decision (docs/deploy.md), not a default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
    },
}

ADMIN_ENABLED = env_bool("SAMMEN_ADMIN")

# Live sessions, per network address. A venue's wifi puts a whole room behind one
# address, so these are sized for a room of 3,000 (docs/deploy.md gives the reasoning);
# each attendee has their own, much smaller limits too (sammen/live/views/room.py).
SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR = int(os.environ.get("SAMMEN_LIVE_JOINS_PER_IP_PER_HOUR", "3000"))
SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE = int(
    os.environ.get("SAMMEN_LIVE_WRITES_PER_IP_PER_MINUTE", "6000")
)
SAMMEN_LIVE_WRONG_CODES_PER_IP_PER_HOUR = int(
    os.environ.get("SAMMEN_LIVE_WRONG_CODES_PER_IP_PER_HOUR", "600")
)
# Threads each server process runs pages in (sammen/asgi.py); more requests wait their
# turn in the event loop. Each may hold a database connection while it works.
SAMMEN_WEB_THREADS = int(os.environ.get("SAMMEN_WEB_THREADS", "8"))
# How long a server process keeps a live session and its polls in memory for the room's
# writes (sammen/live/hot.py); changes the session announces reach it sooner. 0: never.
SAMMEN_LIVE_HOT_SECONDS = float(os.environ.get("SAMMEN_LIVE_HOT_SECONDS", "2"))

# The site's name in the interface and in every email ("Hello from Sammen!"); the
# product name is not translated.
SAMMEN_NAME = os.environ.get("SAMMEN_SITE_NAME", "").strip() or "Sammen"
SAMMEN_TAGLINE = _("Create together, answer in public.")

# Webhooks (docs/webhooks.md). Targets must be HTTPS and resolve only to public
# addresses, checked on every delivery; an operator may allow networks of their own
# (an intranet receiver: "10.20.0.0/16"). Plain HTTP is for the test suite's local
# receiver only: never set it in production.
SAMMEN_WEBHOOKS_ALLOWED_NETWORKS = env_list("SAMMEN_WEBHOOKS_ALLOWED_NETWORKS")
SAMMEN_WEBHOOKS_ALLOW_HTTP = env_bool("SAMMEN_WEBHOOKS_ALLOW_HTTP")
