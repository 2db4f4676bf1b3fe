"""Settings, one file. Secrets and deployment choices come from the environment; every
variable is listed with its default and production value in docs/configuration.md.

With DEBUG off the settings fail loudly rather than guess: no SECRET_KEY, no SITE_URL or an
email backend that writes files stops the app with a message saying what to set. A developer's
checkout (manage.py, `make run`) sets DRUGATLAS_DEVELOPMENT=1, which allows a generated key
in DRUGATLAS_VAR_DIR, a local SITE_URL and mail written to files.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("DEBUG", False)
# A developer's checkout (set by manage.py and the Makefile), never a production server.
DEVELOPMENT = DEBUG or env_bool("DRUGATLAS_DEVELOPMENT")


def _var_dir() -> Path:
    """Database, secret key, cache, mail files, collected static files. A checkout keeps them in
    its own var/; an installed package never writes inside itself (docs/configuration.md)."""
    if os.environ.get("DRUGATLAS_VAR_DIR"):
        return Path(os.environ["DRUGATLAS_VAR_DIR"])
    if (PROJECT_DIR / "manage.py").exists():  # a source checkout
        return PROJECT_DIR / "var"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "drugatlas"


VAR_DIR = _var_dir()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _required(name: str, why: str) -> None:
    raise ImproperlyConfigured(f"{name} is not set. {why} (A development checkout may set "
                               "DRUGATLAS_DEVELOPMENT=1 or DEBUG=1 instead; see "
                               "docs/configuration.md.)")


def _secret_key() -> str:
    """$SECRET_KEY or the file named by $SECRET_KEY_FILE; in development, a random key made once
    and kept in var/. In production a generated key would differ between hosts and deploys and
    void every emailed link, so the app refuses to start without one."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if os.environ.get("SECRET_KEY_FILE"):
        return Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
    if not DEVELOPMENT:
        _required("SECRET_KEY", "Set SECRET_KEY to a long random string, the same on every host "
                  "and kept across deploys (e.g. the output of `python -c \"import secrets; "
                  "print(secrets.token_urlsafe(50))\"`), or SECRET_KEY_FILE to a file holding "
                  "one.")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEVELOPMENT else "")
if not SITE_URL:
    _required("SITE_URL", "Set SITE_URL to the site's public origin, e.g. "
              "https://atlas.example.org: emailed links are built from it.")
# Where the static export's forms post and its links to live-only pages go (docs/deploy.md).
FORMS_ORIGIN = os.environ.get("FORMS_ORIGIN", SITE_URL).rstrip("/")
# Cache-Control of public pages and API answers, in seconds (drugatlas/atlas/http_cache.py).
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "300"))
PUBLIC_S_MAXAGE = int(os.environ.get("PUBLIC_S_MAXAGE", "600"))
PUBLIC_STALE_WHILE_REVALIDATE = int(os.environ.get("PUBLIC_STALE_WHILE_REVALIDATE", "3600"))
# The reverse proxies in front of the app (addresses or networks, comma-separated). Only
# requests from these have their X-Forwarded-For and X-Forwarded-Proto believed
# (drugatlas/clientip.py); with none, REMOTE_ADDR is the visitor.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "drugatlas.atlas",
    "drugatlas.api",
    "drugatlas.legislation",
    "drugatlas.corrections",
    "drugatlas.updates",
    "drugatlas.reinvest",
    "drugatlas.ratelimit",
    "axes",
    "drugatlas.share",
]

MIDDLEWARE = [
    "drugatlas.clientip.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "drugatlas.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache-Control, ETag/304, HEAD and 405 on public URLs; outside GZip so the ETag names
    # the encoding sent, outside sessions so a page that touched one is never marked public.
    "drugatlas.atlas.http_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "drugatlas.atlas.language.URLLanguageMiddleware",  # the language is the URL's, nothing else
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out login with 429
]

ROOT_URLCONF = "drugatlas.urls"
WSGI_APPLICATION = "drugatlas.wsgi.application"

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
                "django.template.context_processors.i18n",
                "drugatlas.atlas.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'drugatlas.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers keep serving while a data load writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

# A cache every process on the machine shares (server workers and the `data load` command),
# so a load or an editor's save that bumps the data version is seen by all of them at once.
# A cache every process on the machine shares (server workers and the `data load` command),
# so a load or an editor's save that bumps the data version is seen by all of them at once.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "TIMEOUT": None,  # cached answers are keyed by data version, so they never go stale
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                         "LOCATION": os.environ["REDIS_URL"], "TIMEOUT": None}
# Rendered pages and API answers (drugatlas/atlas/cache.py): Redis when REDIS_URL is set,
# each process's memory otherwise; never the cache that keeps rate-limit counters, so pages
# cannot cull them. Keys carry the data and code versions; a day's timeout drops old ones.
CACHES["pages"] = ({"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": os.environ["REDIS_URL"], "TIMEOUT": 86400,
                    "KEY_PREFIX": "pages"}
                   if os.environ.get("REDIS_URL") else
                   {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "drugatlas-pages", "TIMEOUT": 86400,
                    "OPTIONS": {"MAX_ENTRIES": 5000}})

# Rate-limit counters (drugatlas/ratelimit): in Redis when REDIS_URL is set, else in the
# database; never in the page cache, which culls. RATE_LIMITS overrides DEFAULTS there.
RATE_LIMIT_REDIS_URL = os.environ.get("REDIS_URL", "")

# Admin sign-in: django-axes locks out an address, and separately a username, after
# ADMIN_LOGIN_FAILURES failed attempts, for ADMIN_LOCKOUT_MINUTES (a success resets the count).
# `manage.py axes_reset` lifts every lock. The admin lives at /ADMIN_URL (default "admin/").
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("ADMIN_LOCKOUT_MINUTES", "60")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "drugatlas.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["drugatlas.formats"]  # U.S. number punctuation in Spanish too
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if not env_bool("DRUGATLAS_PLAIN_STATIC") else
                    "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Mail: the updates list (docs/configuration.md lists each setting, docs/operations.md
# how to wire a relay or an email service). Every EMAIL_* and UPDATES_* setting comes from
# the environment; `check --deploy` refuses a file/console backend and a localhost From.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
                               if DEVELOPMENT else "django.core.mail.backends.smtp.EmailBackend")
if (EMAIL_BACKEND.startswith(("django.core.mail.backends.filebased.",
                              "django.core.mail.backends.console."))
        and not DEVELOPMENT and not env_bool("EMAIL_FILE_BACKEND_ALLOWED")):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {EMAIL_BACKEND}: it sends nothing and keeps addresses in files. Set "
        "EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend (with EMAIL_HOST) or an "
        "anymail backend, or EMAIL_FILE_BACKEND_ALLOWED=1 if this is really wanted.")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_SSL_CERTFILE = os.environ.get("EMAIL_SSL_CERTFILE") or None
EMAIL_SSL_KEYFILE = os.environ.get("EMAIL_SSL_KEYFILE") or None
# Seconds for each network operation with the relay: a relay that hangs costs at most this.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "5"))
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[Drug Policy Atlas] ")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Drug Policy Atlas <updates@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# django-anymail (an email service instead of SMTP): every ANYMAIL_<NAME> variable becomes
# ANYMAIL["<NAME>"], e.g. ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET=user:password,
# ANYMAIL_MAILGUN_API_KEY, ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY.
ANYMAIL = {name[len("ANYMAIL_"):]: value for name, value in os.environ.items()
           if name.startswith("ANYMAIL_") and value}
UPDATES_WEBHOOK_PROVIDERS = [p.strip() for p in
                             os.environ.get("UPDATES_WEBHOOK_PROVIDERS", "").split(",") if p.strip()]
UPDATES_REPLY_TO = [a.strip() for a in os.environ.get("UPDATES_REPLY_TO", "").split(",") if a.strip()]
UPDATES_POSTAL_ADDRESS = os.environ.get("UPDATES_POSTAL_ADDRESS", "")
UPDATES_UNSUBSCRIBE_MAILTO = os.environ.get("UPDATES_UNSUBSCRIBE_MAILTO", "")
# Envelope sender (Return-Path) for relays that return bounces by mail; "{id}" is replaced by
# each message's random id (bounces+{id}@example.org), so a bounce names its message.
UPDATES_ENVELOPE_SENDER = os.environ.get("UPDATES_ENVELOPE_SENDER", "")
UPDATES_SOFT_BOUNCE_LIMIT = int(os.environ.get("UPDATES_SOFT_BOUNCE_LIMIT", "3"))
UPDATES_MAX_ATTEMPTS = int(os.environ.get("UPDATES_MAX_ATTEMPTS", "5"))
UPDATES_CONFIRM_DAYS = int(os.environ.get("UPDATES_CONFIRM_DAYS", "7"))
UPDATES_MANAGE_DAYS = int(os.environ.get("UPDATES_MANAGE_DAYS", "730"))
# Key of the suppression list's address hashes; keep it when SECRET_KEY rotates.
UPDATES_SUPPRESSION_KEY = os.environ.get("UPDATES_SUPPRESSION_KEY", "")
UPDATES_RELAY_BACKOFF_SECONDS = int(os.environ.get("UPDATES_RELAY_BACKOFF_SECONDS", "60"))
UPDATES_SEND_LOCK_SECONDS = int(os.environ.get("UPDATES_SEND_LOCK_SECONDS", "900"))
# --- end of mail

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A page that says what to do (reload and resend) instead of Django's bare 403.
CSRF_FAILURE_VIEW = "drugatlas.corrections.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # views meant for embedding say so (drugatlas/security.py)
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = env_bool("CONTENT_SECURITY_POLICY", True)
# X-Forwarded-Proto reaches Django only from TRUSTED_PROXIES (clientip.TrustedProxyMiddleware).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
HTTPS = not DEBUG and env_bool("HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
# HSTS: a year by default once the site is served over HTTPS.
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
# Asking browsers to preload the domain is the operator's choice (HSTS_PRELOAD), not a flaw.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The committed data bundle, and the raw files it is built from.
BUNDLE_DIR = Path(os.environ.get("DRUGATLAS_BUNDLE_DIR", BASE_DIR / "bundle"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
