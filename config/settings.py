"""Settings for Deir ez-Zor Incidents, read from the environment.

Defaults are the safe production ones (DEBUG off, SECRET_KEY required); the
run and test scripts in bin/ set development values explicitly.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED_DATA_DIR = Path(env_str("SHARED_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
# Learned suggestion models (manage.py train_suggestions); each deployment trains its own, never committed.
SUGGESTION_MODEL_DIR = Path(env_str("SUGGESTION_MODEL_DIR", str(BASE_DIR / "var" / "suggestion-models")))
# After an import commits, retrain in a detached process (incidents/coding/suggest/retraining.py).
SUGGESTION_TRAIN_AFTER_IMPORT = env_bool("SUGGESTION_TRAIN_AFTER_IMPORT", True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Canonical links (the incident page's "Permanent link to cite", the CSV's incident_url) are built
# from this, never from the request's Host header (issue 15 point 12); bin/run sets it from its port.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
# Each SQL statement of a public page or JSON answer is cancelled after this long and the visitor
# gets a 503 with a message (incidents/public/timeouts.py); 0 = no limit.
PUBLIC_STATEMENT_TIMEOUT_MS = env_int("PUBLIC_STATEMENT_TIMEOUT_MS", 10_000)
# At most this many exports of the past (?as_of=, snapshot creation) rebuild at once, site-wide; more
# get a 503 with Retry-After (incidents/exports/as_of.py).
AS_OF_CONCURRENT = env_int("AS_OF_CONCURRENT", 2)
# A CSV download whose client takes nothing for this long is cut and its database connection closed
# (incidents/exports/copy_out.py); below gunicorn's 30 s worker timeout (docs/OPERATIONS.md).
EXPORT_STALL_SECONDS = env_int("EXPORT_STALL_SECONDS", 20)
if EXPORT_STALL_SECONDS < 1:
    raise ImproperlyConfigured(f"EXPORT_STALL_SECONDS={EXPORT_STALL_SECONDS} must be at least 1 (seconds).")
# ACLED files uploaded to the admin import are refused above this size, before they are read
# (incidents/admin/import_export.py; docs/public-api.md is for the public, this is in README).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",  # 899,678 incidents, not 899678
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_filters",
    "leaflet",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # /ar/… is Arabic, unprefixed English (config/urls.py)
    "incidents.operations.language.AcceptLanguageMiddleware",  # no choice made: the browser's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "incidents.operations.compression.AnonymousGZipMiddleware",  # needs request.user; BREACH: docs/OPERATIONS.md
    "incidents.operations.replica.PublicReadsOnReplicaMiddleware",  # needs request.user
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "incidents.operations.database_down.DatabaseUnavailableMiddleware",  # a view's database failure: 503
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into a 429 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Widgets are rendered from the template directories, so templates/django/forms/widgets/ can give every
# text input and textarea dir="auto" in one place (Arabic typed into any form reads right to left).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "incidents.operations.language.language_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/deir_ez_zor"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiling big queries cost more than it saved on every query measured here
# (docs/PERFORMANCE.md, JIT): off for every connection of the app.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A streaming replica for anonymous public reads (incidents/operations/replica.py); without it every
# read goes to the primary. Tests mirror it onto the test database.
if DATABASE_REPLICA_URL := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60),
                                                 conn_health_checks=True)
    DATABASES["replica"].setdefault("OPTIONS", {}).update(options="-c jit=off", connect_timeout=2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["incidents.operations.replica.PrimaryReplicaRouter"]
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DATABASE_URL must use the postgis:// scheme (PostGIS is required).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anonymous public pages and JSON are cached per data version (incidents/public/cache.py), so a
# change is public at once; the timeout only bounds memory use. 0 turns the cache off.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 3600)
# With REDIS_URL (redis://host:6379/0): one cache shared by every worker and machine, kept across
# restarts, so each public question is computed once per data version. Without it: one in-process
# cache per gunicorn worker, nothing else to run, each worker filling its own (docs/OPERATIONS.md).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "deir"),
            # A slow or absent Redis must not hold a request: incidents/public/cache.py then computes.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 300)},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# English (British dates, as before) and Arabic; Arabic pages live under /ar/ (incidents/operations/language.py).
LANGUAGES = [("en-gb", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Digits of the Arabic pages: "arab" (٠-٩ with ٬ ٫, CLDR's default for Syrian Arabic) or "latn" (0-9,
# as many Syrian outlets write them). incidents/common/numerals.py applies it; English is always latn.
ARABIC_DIGITS = env_choice("ARABIC_DIGITS", "arab", ("arab", "latn"))
if "ARABIC_INDIC_DIGITS" in os.environ:  # the earlier on/off name: refuse it rather than ignore it
    raise ImproperlyConfigured("ARABIC_INDIC_DIGITS is replaced by ARABIC_DIGITS=arab (٠-٩) or latn (0-9).")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to show a moment in every language (config/formats: "1 Mar 2017 10:00", UTC).
FORMAT_MODULE_PATH = "config.formats"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# Map: tiles come from settings so a deployment can point at its own tile server.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors"
)
DEIR_EZ_ZOR_CENTER = (35.33, 40.14)  # lat, lon of Deir ez-Zor city
# The incident form warns before saving a point farther than this (km) from the chosen place.
PLACE_DISTANCE_WARNING_KM = env_int("PLACE_DISTANCE_WARNING_KM", 10)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": DEIR_EZ_ZOR_CENTER,
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
    "RESET_VIEW": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# GDAL 3.6 on Debian 12 cannot block file/network access while parsing spatial
# references (gis.W001). We only parse geometry from our own fixture files and
# from coordinates, never user-supplied SRS definitions.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
FORMS_URLFIELD_ASSUME_HTTPS = True

# -- security (production hardening; see docs/OPERATIONS.md) --
# Off only when DEBUG is on (local development); `manage.py check --deploy` is clean with DEBUG=0.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

from config.security import origin_source, tile_origin  # noqa: E402

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and container health checks probe over plain HTTP: answer them, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that always sets X-Forwarded-Proto itself; otherwise clients could spoof https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The preload directive only signals consent; nothing is preloaded until the domain owner submits it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Tile servers (OpenStreetMap's usage policy) require a Referer; send only our origin, never the path.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Content-Security-Policy: scripts, styles and fonts only from our own static files, images also from the
# tile host of MAP_TILES_URL. No inline scripts: the nonce is for django-leaflet's admin map widget only.
_TILE_SOURCES = [source for source in [tile_origin(MAP_TILES_URL)] if source]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_TILE_SOURCES],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Partner sites (origins such as https://news.example.org) that may show the embed view /embed/ in a
# frame; every other page keeps frame-ancestors 'none' and X-Frame-Options DENY (incidents/public/embed.py).
EMBED_FRAME_ANCESTORS = [origin_source(origin, "EMBED_FRAME_ANCESTORS")
                         for origin in env_list("EMBED_FRAME_ANCESTORS")]

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address, that pair is
# locked out for AXES_COOLOFF_HOURS (HTTP 429). Behind a proxy set AXES_IPWARE_PROXY_COUNT to its hops.
AUTHENTICATION_BACKENDS = [
    "incidents.operations.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else [
    "REMOTE_ADDR"]
