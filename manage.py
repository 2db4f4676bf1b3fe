#!/usr/bin/env python
"""The checkout's command: `drugatlas` in development mode (a generated secret key in var/,
a local SITE_URL, mail to files) unless DRUGATLAS_DEVELOPMENT=0."""
import os

from drugatlas.__main__ import main

if __name__ == "__main__":
    os.environ.setdefault("DRUGATLAS_DEVELOPMENT", "1")
    main()
