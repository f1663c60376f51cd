"""Zhijiao settings. Every value comes from the environment; see the README's configuration table.

The embedded default (SQLite in ``./var``, in-process cache, database task queue) needs no variables at all;
``DATABASE_URL`` and ``REDIS_URL`` move the same code onto PostgreSQL and Redis.
"""

import base64
import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .environment import (
    ConfigurationError,
    check_database_url,
    check_email_url,
    check_key,
    check_log_level,
    check_origin,
    check_origins,
    check_redis_url,
    check_time_zone,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_rate,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bytes(name: str, default: int) -> int:
    """A size in bytes: a whole number, or one with a K, M or G suffix (binary: ``20M`` is 20 MiB); a value that is
    neither, or not above zero, stops the start with a message naming the variable."""
    from django.core.exceptions import ImproperlyConfigured

    given = (os.environ.get(name) or "").strip()
    if not given:
        return default
    number = given.upper().removesuffix("B").removesuffix("I")
    factor = 1
    if number[-1:] in ("K", "M", "G"):
        factor = 1024 ** ("KMG".index(number[-1]) + 1)
        number = number[:-1]
    if not number.isdigit() or int(number) <= 0:
        raise ImproperlyConfigured(f"{name}: expected a size in bytes above 0, such as 20971520 or 20M (got {given!r})")
    return int(number) * factor


VAR_DIR = Path(os.environ.get("ZHIJIAO_VAR_DIR", "var")).resolve()


def _var_secret(filename: str, make: object) -> str:
    """A secret kept in var/ so a one-machine install survives restarts without configuration."""
    path = VAR_DIR / filename
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = make() if callable(make) else str(make)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _var_secret("secret_key", lambda: secrets.token_urlsafe(50))
# Personal data (ID numbers) is sealed with this key, kept apart from SECRET_KEY so rotating one never
# destroys the other. 32 bytes, URL-safe base64.
DATA_ENCRYPTION_KEY = check_key(
    "DATA_ENCRYPTION_KEY",
    os.environ.get("DATA_ENCRYPTION_KEY")
    or _var_secret("data_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()),
)
# The service hall signs credentials (VC-JWT, EdDSA) with this Ed25519 private key: 32 raw bytes, URL-safe base64.
# Publish the matching public key (/.well-known/jwks.json, /.well-known/did.json) and keep this one secret.
CREDENTIAL_SIGNING_KEY = check_key(
    "CREDENTIAL_SIGNING_KEY",
    os.environ.get("CREDENTIAL_SIGNING_KEY")
    or _var_secret("credential_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()),
)
# The address the public reaches this platform at: printed under QR codes on certificates and agreements made
# outside a request (imports, tasks) and the host of the issuer's did:web identifier.
PUBLIC_ORIGIN = check_origin("PUBLIC_ORIGIN", os.environ.get("PUBLIC_ORIGIN", "http://localhost:8000").rstrip("/"))
# Public checks of verification codes (/verify/<code>) allowed per client address.
VERIFY_RATE_LIMIT = env_rate("VERIFY_RATE_LIMIT", "60/min")
# 云码 opened per client address (/q/<code> and the API's code lookup): generous, since a whole school may scan
# from one address, yet a script trying codes one after another is stopped.
CODE_SCAN_RATE = env_rate("CODE_SCAN_RATE", "600/min")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = check_origins("CSRF_TRUSTED_ORIGINS", env_list("CSRF_TRUSTED_ORIGINS", ""))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "zhijiao.core.tasks_app.TasksConfig",  # django_tasks_db, named in the reader's language
    "ninja",  # its templates and static files: the API docs' Swagger UI is served locally, not from a CDN
    "zhijiao.core",
    "zhijiao.accounts",
    "zhijiao.orgs",
    "zhijiao.portal",
    "zhijiao.search",
    "zhijiao.analytics",
    "zhijiao.k12",
    "zhijiao.courses",
    "zhijiao.discussion",
    "zhijiao.assessment",
    "zhijiao.vocational",
    "zhijiao.higher",
    "zhijiao.cases",
    "zhijiao.employment",
    "zhijiao.credentials",
    "zhijiao.hall",
    "zhijiao.hall.exams",
    "zhijiao.hall.records",
    "zhijiao.hall.abroad",
    "zhijiao.reviews",
    "zhijiao.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhijiao.core.middleware.RefuseNulMiddleware",
    # Outside the page cache and everything else: counts cached pages too, sees the final status.
    "zhijiao.analytics.middleware.PageViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session, outside everything that answers: marks every answer to a signed-in person private.
    "zhijiao.core.middleware.PrivateCacheMiddleware",
    "zhijiao.core.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "zhijiao.core.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhijiao.core.middleware.MessageMiddleware",
    "zhijiao.core.middleware.PageErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "zhijiao.config.urls"
WSGI_APPLICATION = "zhijiao.config.wsgi.application"

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
                "zhijiao.portal.context_processors.site",
                "zhijiao.portal.context_processors.desks",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = check_database_url(
    "DATABASE_URL", os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zhijiao.sqlite3'}"
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
        # mmap: reads of a large database (the search index) come from the page cache without a copy per page.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions --------------------------------------------------------------------------------------
REDIS_URL = check_redis_url("REDIS_URL", os.environ.get("REDIS_URL", "").strip())
# Redis is an accelerator (core.rediscache): while it does not answer, the cache misses, sessions and counters use
# the database, and nothing tries Redis again for REDIS_RETRY_SECONDS. Short timeouts: a request never waits long
# for an unreachable Redis (on a LAN a healthy one answers in well under a millisecond).
REDIS_CONNECT_TIMEOUT = 0.25
REDIS_SOCKET_TIMEOUT = 0.5
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 2, minimum=0.1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "zhijiao.core.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zj",
            "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT, "socket_timeout": REDIS_SOCKET_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhijiao"}}
# Sessions live in the database; with Redis they are read from Redis first (one GET) and written to both.
SESSION_ENGINE = "zhijiao.core.sessions"

# Sessions end after 30 idle minutes: activity pushes the expiry forward (core.middleware.SessionIdleMiddleware
# renews a session once a tenth of its age has passed, not on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 1800, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Tasks ----------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each `zhijiao worker` stamps its heartbeat this often; a worker silent for TASK_WORKER_LEASE_SECONDS is dead, and
# a task it was running is run again (tasks marked idempotent, up to TASK_LOST_RETRIES more times) or marked failed.
TASK_HEARTBEAT_SECONDS = env_float("TASK_HEARTBEAT_SECONDS", 10, minimum=0.1)
TASK_WORKER_LEASE_SECONDS = env_float("TASK_WORKER_LEASE_SECONDS", 60, minimum=0.5)
TASK_LOST_RETRIES = env_int("TASK_LOST_RETRIES", 2)

# --- Accounts -------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhijiao.accounts.backends.PhoneOrEmailBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
# Lockout: this many failures for one account (or one address) within the window locks it for the window.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
# Per client address the limit is looser: a whole school may share one address behind NAT.
LOGIN_FAILURE_IP_LIMIT = env_int("LOGIN_FAILURE_IP_LIMIT", 50, minimum=1)
# Seeing a full ID number asks for the password again; once typed, it holds this long in the session.
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 300, minimum=1)

# --- Internationalisation -------------------------------------------------------------------------------
LANGUAGE_CODE = env_choice("DEFAULT_LANGUAGE", "zh-hans", ["zh-hans", "en"])
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates as people write them: 2026年12月4日 / 4 Dec 2026 (zhijiao/formats/).
FORMAT_MODULE_PATH = ["zhijiao.formats"]
LANGUAGE_COOKIE_NAME = "zj_lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = check_time_zone("TIME_ZONE", os.environ.get("TIME_ZONE", "Asia/Shanghai"))
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(VAR_DIR / "media")))
# Applicants' documents (passports, transcripts) never go under MEDIA_ROOT: on one machine they live here and leave
# only through views that check who asks (core.uploads.private_storage); on S3 they stay in the private bucket.
# Unset: "private" beside MEDIA_ROOT (var/private).
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or None
# The largest document a person may upload (service-hall applications), in bytes.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "local", ["local", "s3"])
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if MEDIA_STORAGE == "s3" and importlib.util.find_spec("storages") is None:
    raise ConfigurationError("MEDIA_STORAGE", "s3 needs django-storages: install the s3 extra (zhijiao[s3])")
if MEDIA_STORAGE == "s3":
    # S3-compatible object storage (MinIO, OSS, COS …) through django-storages; install the `s3` extra.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "zhijiao-media"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("S3_SIGNED_URLS", True),
        },
    }
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MAX_AGE = 3600
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 5 * 1024 * 1024, minimum=1)

# --- Security -------------------------------------------------------------------------------------------
# HTTPS is on whenever DEBUG is off; set HTTPS=off only for a closed intranet without TLS.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Email ----------------------------------------------------------------------------------------------
# smtp://user:password@host:587; file:// writes each message to var/mail/ (file:///some/dir: there) instead of sending
# it, as `zhijiao demo` does. Unset: a local MTA on port 25 in production, files in var/mail/ under DEBUG.
EMAIL_URL = check_email_url(
    "EMAIL_URL", os.environ.get("EMAIL_URL", "") or ("file://" if DEBUG else "smtp://localhost:25")
)
if EMAIL_URL.startswith("file://"):
    # Development and demo: messages are written to files to read, never sent.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": EMAIL_URL.removeprefix("file://") or str(VAR_DIR / "mail")},
        }
    }
else:
    _email = dj_database_url.parse(EMAIL_URL.replace("smtp://", "postgres://", 1))
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email["HOST"],
                "port": int(_email["PORT"] or 25),
                "username": _email["USER"],
                "password": _email["PASSWORD"],
                "use_tls": int(_email["PORT"] or 25) == 587,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "智教平台 <noreply@zhijiao.localhost>")

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": check_log_level("LOG_LEVEL", os.environ.get("LOG_LEVEL") or "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Every 4xx would be a warning line: a wrong score lookup or verification code is an everyday answer, and
        # on release night there are hundreds a second. Server errors (5xx) are still logged.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- Pages ----------------------------------------------------------------------------------------------
# Anonymous public pages are cached this many seconds per language (0 turns the page cache off).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# Public lists and figures every visitor shares (platform totals, the home page's newest articles) are
# rebuilt at most this often; editing an article refreshes them at once (0: rebuilt on every request).
CONTENT_CACHE_SECONDS = env_int("CONTENT_CACHE_SECONDS", 60)
# The default name follows the visitor's language; a SITE_NAME from the environment is shown as given.
SITE_NAME = os.environ.get("SITE_NAME") or _("智教 · 国家智慧教育公共服务平台")

# --- API ------------------------------------------------------------------------------------------------
# How often one visitor may ask a chooser for options while typing (per signed-in person, else per address).
CHOOSER_RATE = env_rate("CHOOSER_RATE", "300/min")
# Default request rates of /api/v1/: per client address for visitors, per user for sessions and tokens.
API_RATE_ANON = env_rate("API_RATE_ANON", "120/min")
API_RATE_USER = env_rate("API_RATE_USER", "600/min")

# --- Service hall ---------------------------------------------------------------------------------------
# Score lookups (/hall/scores/) allowed per client address and per candidate (ticket or ID number), misses an
# address may make per day, and how many misses before a proof-of-work captcha (ALTCHA) is asked for.
HALL_SCORES_IP_RATE = env_rate("HALL_SCORES_IP_RATE", "30/min")
HALL_SCORES_CANDIDATE_RATE = env_rate("HALL_SCORES_CANDIDATE_RATE", "10/h")
HALL_SCORES_IP_MISSES = env_rate("HALL_SCORES_IP_MISSES", "30/d")
HALL_SCORES_MISSES_BEFORE_CAPTCHA = env_int("HALL_SCORES_MISSES_BEFORE_CAPTCHA", 3)
# The largest attachment an officer may add to an exam notice.
HALL_ATTACHMENT_MAX_BYTES = env_int("HALL_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# --- Assessment -----------------------------------------------------------------------------------------
# The largest file a learner may upload as the answer to a file question (文件题): bytes, or 20M / 512K.
ASSESSMENT_FILE_MAX_BYTES = env_bytes("ASSESSMENT_FILE_MAX_BYTES", 20 * 1024 * 1024)

# The authority each service hall document names as its issuer (on the PDF, in the signed credential's issuer name,
# on its pages and at /verify/), never the organisation of the officer who approved it. Keys are
# "<service>.<document>"; each value is {"zh": official Chinese name, "en": English name}. A province overrides
# some or all of them with a JSON file (ISSUING_AUTHORITIES_FILE) and/or JSON in ISSUING_AUTHORITIES (applied
# last); a plain string instead of {"zh", "en"} names both languages (the English name never tells of another body).
_CSCSE = {"zh": "教育部留学服务中心", "en": "Chinese Service Center for Scholarly Exchange, Ministry of Education"}
_CSSD = {
    "zh": "教育部学生服务与素质发展中心（学信网）",
    "en": "Center for Student Services and Development, Ministry of Education (CHSI)",
}
_NEEA = {"zh": "教育部教育考试院", "en": "National Education Examinations Authority, Ministry of Education"}
ISSUING_AUTHORITIES_DEFAULT: dict[str, dict[str, str]] = {
    "abroad.degree": _CSCSE,  # 国（境）外学历学位认证书
    "abroad.dispatch": _CSCSE,  # 公派留学人员派出登记
    "abroad.archive": _CSCSE,  # 自费留学人员存档
    "abroad.returnee": _CSCSE,  # 留学回国人员证明、就业派遣（安置）函
    "records.status": _CSSD,  # 教育部学籍在线验证报告
    "records.qualification": _CSSD,  # 教育部学历证书电子注册备案表
    "records.degree": _CSSD,  # 中国高等教育学位在线验证报告
    "exams.cet4": _NEEA,
    "exams.cet6": _NEEA,
    "exams.teacher": _NEEA,  # 中小学教师资格考试（笔试、面试）合格证明
    "exams.putonghua": {"zh": "国家语言文字工作委员会", "en": "State Language Commission"},  # 普通话水平测试等级证书
    # 课程证书: the course's university issues it together with the platform that ran the course; this names the
    # platform (the university comes from the course).
    "courses.certificate": {
        "zh": "国家高等教育智慧教育平台",
        "en": "National Smart Education Platform for Higher Education",
    },
}


def issuing_authorities(text: str = "", path: str = "") -> dict[str, dict[str, str]]:
    """The defaults with a settings file's entries and then the variable's laid over them; unknown keys and bad
    values stop the start with a message naming them."""
    import json

    from django.core.exceptions import ImproperlyConfigured

    merged = {key: dict(value) for key, value in ISSUING_AUTHORITIES_DEFAULT.items()}
    if path and not Path(path).is_file():
        raise ImproperlyConfigured(f"ISSUING_AUTHORITIES_FILE: no such file {path!r}")
    for source, raw in ((path, Path(path).read_text(encoding="utf-8") if path else ""), ("ISSUING_AUTHORITIES", text)):
        if not raw.strip():
            continue
        try:
            entries = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{source}: not JSON ({exc})") from exc
        if not isinstance(entries, dict):
            raise ImproperlyConfigured(f"{source}: expected a JSON object of issuing authorities")
        for key, value in entries.items():
            if key not in merged:
                raise ImproperlyConfigured(f"{source}: unknown issuing authority {key!r} (known: {', '.join(merged)})")
            value = {"zh": value} if isinstance(value, str) else value
            if not isinstance(value, dict) or not all(isinstance(value.get(k, ""), str) for k in ("zh", "en")):
                raise ImproperlyConfigured(f'{source}: {key!r} must be a name or {{"zh": …, "en": …}}')
            names = {k: " ".join(value[k].split()) for k in ("zh", "en") if value.get(k, "").strip()}
            if "zh" in names:
                names.setdefault("en", names["zh"])
            merged[key] = {**merged[key], **names}
    return merged


ISSUING_AUTHORITIES = issuing_authorities(
    os.environ.get("ISSUING_AUTHORITIES", ""), os.environ.get("ISSUING_AUTHORITIES_FILE", "")
)

# --- Analytics ------------------------------------------------------------------------------------------
# Page views are counted in memory and written in batches of ANALYTICS_BATCH_SIZE views or every
# ANALYTICS_FLUSH_SECONDS seconds (to Redis when REDIS_URL is set); the worker's scheduler rolls them up every
# ANALYTICS_ROLLUP_SECONDS. ANALYTICS_ENABLED=0 turns counting off (the dashboard still shows the rollups).
ANALYTICS_ENABLED = env_bool("ANALYTICS_ENABLED", True)
ANALYTICS_BATCH_SIZE = env_int("ANALYTICS_BATCH_SIZE", 500, minimum=1)
ANALYTICS_FLUSH_SECONDS = env_float("ANALYTICS_FLUSH_SECONDS", 5, minimum=0.01)
ANALYTICS_FLUSH_IN_THREAD = True
# A process stopping cleanly writes the views it still holds (core.shutdown).
ANALYTICS_FLUSH_AT_EXIT = True
ANALYTICS_ROLLUP_SECONDS = env_int("ANALYTICS_ROLLUP_SECONDS", 300, minimum=1)
# Raw views folded per transaction by the rollup.
ANALYTICS_ROLLUP_CHUNK = env_int("ANALYTICS_ROLLUP_CHUNK", 1_000_000, minimum=1)
