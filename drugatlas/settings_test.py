"""Settings for the test suite: the real settings, with a cache private to the test process
(the shared file cache would let parallel test runs see each other's pages) and fast hashing."""
import os

# The suite is a development run: a generated key, a local SITE_URL, mail to memory or files.
os.environ.setdefault("DRUGATLAS_DEVELOPMENT", "1")

from .settings import *  # noqa: E402, F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "drugatlas-tests", "TIMEOUT": None},
          # Redis when REDIS_URL is set (keys carry the data version, which each test bumps).
          "pages": CACHES["pages"]}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files from the source folders, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
