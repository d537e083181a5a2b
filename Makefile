# The one documented way to set up, run, check and test Sammen.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/sammen
PYTEST_ARGS ?=
# Test processes: one per core (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one.
PYTEST_WORKERS ?= auto

.PHONY: install install-dev run test test-postgres test-browser check lint types migrations-check fmt demo backup restore messages browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

## install: create .venv and install Sammen with its `sammen` command
install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: migrate, load the demo data into an empty database, serve at http://$(HOST):$(PORT)
run: install
	$(BIN)/sammen serve --demo --host $(HOST) --port $(PORT)

## browser-deps: the machine's Chromium and axe-core for the browser tests
browser-deps: node_modules/axe-core/axe.min.js
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## test: install what tests need and run the whole suite (SQLite, browser tests included)
test: install-dev browser-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$status

## test-postgres: the suite again on PostgreSQL, but for the browser tests and the
## tests that run Sammen on a SQLite folder of their own
# The browser tests drive pages whose reads and writes the rest of the suite covers on
# both databases, and the own_sqlite tests would run the same again; running them once,
# on SQLite, keeps CI within its 30 minutes.
PG_PYTEST_ARGS ?= -m "not browser and not own_sqlite"
test-postgres:
	DATABASE_URL=$(PG_TEST_URL) $(MAKE) test PYTEST_ARGS='$(PG_PYTEST_ARGS) $(PYTEST_ARGS)'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(find sammen -name '*.html' -path '*/templates/*')
	$(BIN)/lint-imports

types: install-dev
	$(BIN)/mypy sammen tests/across  # the tests across the layers are typed as the apps' tests are

migrations-check: install-dev
	SAMMEN_VAR_DIR=$$(mktemp -d) $(BIN)/sammen makemigrations --check --dry-run

## check: exactly what CI runs
check: lint types migrations-check test test-postgres

## fmt: format Python and templates
fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(find sammen -name '*.html' -path '*/templates/*')

## messages: update the catalogues from the code, then compile them
messages: install-dev
	cd sammen && ../$(BIN)/sammen makemessages --all --no-obsolete --ignore='*/tests/*' --ignore='node_modules/*' --add-location=file
	$(BIN)/python scripts/fill_english_catalogue.py sammen/locale/en/LC_MESSAGES/django.po
	msgcat --add-location=file -o sammen/locale/en/LC_MESSAGES/django.po sammen/locale/en/LC_MESSAGES/django.po
	cd sammen && ../$(BIN)/sammen compilemessages

## demo: start over with only the demo data
demo: install
	$(BIN)/sammen migrate --no-input
	$(BIN)/sammen flush --no-input
	$(BIN)/sammen load_demo

## backup: write var/backups/sammen-<time>.tar.gz (safe while the server runs)
backup: install
	$(BIN)/sammen backup

## restore: make restore FILE=var/backups/sammen-....tar.gz
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/sammen-....tar.gz"; exit 2; }
	$(BIN)/sammen restore "$(FILE)"

clean:
	rm -rf $(VENV) node_modules
