# Drug Policy Atlas. `make run` serves the site with the real data; `make test` runs the tests.
# Each target sets up what it needs: the virtualenv, the database schema, the data.

PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
MANAGE  = $(PY) manage.py
# A developer's checkout: a generated secret key in var/, a local SITE_URL, mail to files
# (docs/configuration.md). Production runs `drugatlas serve` with its own environment.
export DRUGATLAS_DEVELOPMENT ?= 1

.PHONY: run dev test test-sqlite test-pg test-browser test-one bench bench-data bench-scale data \
        data-check migrate load lint fuzz geometry clean setup

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# Node packages are only for tooling (map geometry, axe-core in browser tests), never served.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	 else echo "npm not found: browser accessibility checks will be skipped"; mkdir -p node_modules; touch $@; fi

migrate: setup
	$(MANAGE) migrate --noinput -v 0

# Load the committed bundle (skipped when this version is already loaded). It was reviewed in
# the repository, so large revisions need no confirmation here (see docs/operations.md).
load: migrate
	$(MANAGE) data load --accept-revisions

run: load
	$(MANAGE) collectstatic --noinput -v 0
	@echo "Drug Policy Atlas on http://$(HOST):$(PORT)/"
	$(VENV)/bin/gunicorn drugatlas.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
	    --access-logfile -

# Django's development server with DEBUG on.
dev: load
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The test suite on SQLite (or on PostgreSQL when DATABASE_URL is set), browser tests included
# where Chromium is installed (`apt-get install -y chromium`).
test: setup
	$(PY) -m pytest -q -p no:cacheprovider

test-sqlite: setup
	env -u DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider

# One test file, or one test: make test-one T=tests/api/test_api.py::test_california_2019_table69
test-one: setup
	@test -n "$(T)" || { echo "usage: make test-one T=tests/<area>/test_<file>.py[::test_name]"; exit 2; }
	$(PY) -m pytest -q -p no:cacheprovider $(T)

test-pg: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://root@127.0.0.1:5432/drugatlas} $(PY) -m pytest -q -p no:cacheprovider

test-browser: setup
	$(PY) -m pytest -q -p no:cacheprovider tests/browser

# Rebuild the bundle from ../shared/data/raw (or $$DRUGATLAS_RAW_DIR), then load it.
data: migrate
	$(MANAGE) data build
	$(MANAGE) data load --accept-revisions

data-check: setup
	$(MANAGE) data check

geometry: setup
	$(MANAGE) geometry

bench: load
	$(PY) -m pip install --quiet -e ".[test,bench]"
	$(MANAGE) collectstatic --noinput -v 0
	$(PY) bench/run.py

# schemathesis against /api/v1/openapi.json, bounded (FUZZ_EXAMPLES per operation, default 50).
fuzz: load
	$(PY) -m pip install --quiet -e ".[test,fuzz]"
	$(PY) bench/fuzz.py

bench-data: setup
	$(PY) bench/data_build.py

# 1× and N× (FACTOR, default 10) the data on PostgreSQL, side by side (bench/scale.py). Needs a
# server that lets BENCH_DATABASE_URL's user create databases; the N× bundle goes to var/.
FACTOR ?= 10
bench-scale: setup
	$(MANAGE) collectstatic --noinput -v 0
	$(PY) bench/scale.py --factor $(FACTOR)

# ruff (pinned in the test extra, configured in pyproject.toml); fails on any finding.
lint: setup
	$(PY) -m ruff check drugatlas tests bench manage.py

clean:
	rm -rf var .pytest_cache
