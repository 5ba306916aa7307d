"""Settings for the IPS tool: one file, configured from environment variables.

Development is the default: SQLite, DEBUG on, a throwaway secret key. Set
``IPS_ENV=production`` for a deployment; then ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must come
from the environment and the security settings that ``check --deploy`` looks for are on.
Every variable is listed in README.md.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def production_secret_key(value: str) -> str:
    """Refuse a missing or weak key in production: sessions and CSRF tokens depend on it."""
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when IPS_ENV=production"
        )
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: use at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return value


IPS_ENV = env_str("IPS_ENV", "development")
if IPS_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"IPS_ENV must be 'development' or 'production', got {IPS_ENV!r}")
PRODUCTION = IPS_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when IPS_ENV=production")

if PRODUCTION:
    SECRET_KEY = production_secret_key(env_str("SECRET_KEY"))
else:
    SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when IPS_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts (password "demo") may only be created where this is on; never in production.
DEMO_MODE = env_bool("DEMO_MODE", default=not PRODUCTION)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("DEMO_MODE cannot be on when IPS_ENV=production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ips",
    "fidelity",
    "outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files in production; runserver serves them in development.
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ips.middleware.UserLanguageMiddleware",
    "ips.middleware.SessionTimeoutMiddleware",
    "ips.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ips.audit.AccessLogMiddleware",
    "ips.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ips.urls"
WSGI_APPLICATION = "ips.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
# Every request runs in one transaction, so a failed request saves nothing. The access log
# is written after that transaction ends (ips.audit.AccessLogMiddleware), so it survives a
# rollback.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "ips.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must be first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Two-factor authentication (TOTP with static backup codes) for every staff account. With
# DEMO_MODE on, the demo accounts (password "demo") may skip it; nobody else may.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=True)
if PRODUCTION and not OTP_REQUIRED:
    raise ImproperlyConfigured("OTP_REQUIRED cannot be off when IPS_ENV=production")
OTP_TOTP_ISSUER = "IPS"
OTP_TOTP_THROTTLE_FACTOR = 1

# Login throttling (django-axes): lock a username from one address after 5 failures, for 15
# minutes. Behind a reverse proxy set AXES_IPWARE_PROXY_COUNT (and the trusted proxy list) so
# the client address, not the proxy's, is used; see docs/security.md.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Sessions: an idle timeout and an absolute lifetime, both enforced by
# ips.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user row; object permissions only through our own models.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Internationalisation: Finnish first, then Swedish and English. English is the source.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
# Our date formats per language (ips/formats/); templates name formats, never patterns.
FORMAT_MODULE_PATH = ["ips.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Content Security Policy, enforced: nothing inline, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Client data is deleted this many years after the episode closed (purge_expired). Access-log
# entries older than ACCESS_LOG_REPORT_YEARS are shown to a client only for a stated reason.
RETENTION_YEARS = env_int("RETENTION_YEARS", 12)
ACCESS_LOG_REPORT_YEARS = 2

# Key of the pseudonymised research extract (HMAC-SHA-256). Kept outside the database: from
# the environment, or a file readable only by the app. Empty means the extract is unavailable.
IPS_PSEUDONYM_KEY = env_str("IPS_PSEUDONYM_KEY")
if not IPS_PSEUDONYM_KEY and env_str("IPS_PSEUDONYM_KEY_FILE"):
    IPS_PSEUDONYM_KEY = Path(env_str("IPS_PSEUDONYM_KEY_FILE")).read_text().strip()

MAILERS = {
    "default": {
        "BACKEND": (
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ips@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
