# One entry point for people, scripts and CI. `make run` and `make test` do all set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION ?= 3.12.1
BASE_PYTHON ?= $(shell command -v pyenv >/dev/null 2>&1 && echo "$$(pyenv root)/versions/$(PYTHON_VERSION)/bin/python3" || command -v python3.12)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
NHSUK := static/nhsuk
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_SETTINGS_MODULE := ccg_involvement.settings
# Tests run with DEBUG off (as production) but over plain HTTP on localhost.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-tests-only-not-secret} SECURE_SSL_REDIRECT=false

.PHONY: help setup system-packages run test test-sqlite test-postgres e2e lint check-deploy assets migrate demo clean lock

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements-dev.txt requirements.txt
	@test -x "$(BASE_PYTHON)" || { echo "Python $(PYTHON_VERSION) not found (looked for $(BASE_PYTHON)). Install it with pyenv or set BASE_PYTHON=/path/to/python3.12"; exit 1; }
	@test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	@$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	@$(PY) -c "import django, sys; assert django.VERSION >= (6, 1), django.get_version(); print('Python', sys.version.split()[0], '· Django', django.get_version())"
	@touch $@

node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(NHSUK)/.built: node_modules/.installed $(wildcard static/scss/*.scss static/scss/app/*.scss)
	@mkdir -p $(NHSUK)
	@npm run --silent build:css
	@cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js.map $(NHSUK)/
	@rm -rf $(NHSUK)/assets && cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(NHSUK)/assets
	@touch $@

assets: $(NHSUK)/.built ## build the NHS.UK front-end assets into static/nhsuk/

setup: $(VENV)/.installed assets ## environment, dependencies, assets and migrations (idempotent)
	@DEBUG=true $(PY) manage.py migrate --no-input -v 0

run: setup ## run the app with demo data on SQLite at http://127.0.0.1:8000
	@DEBUG=true $(PY) manage.py load_demo_data --if-empty
	@DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

system-packages: ## the Debian packages the tests need (Chromium, poppler, fonts, HarfBuzz subset)
	@bash .ci/system-packages.sh

test: setup system-packages ## run the whole test suite (SQLite unless DATABASE_URL is set), browser tests included, with the branch-coverage floor
	@$(TEST_ENV) $(VENV)/bin/pytest --cov --cov-report=term

test-postgres: setup system-packages ## the whole suite on PostgreSQL at 127.0.0.1:5432
	@$(TEST_ENV) DATABASE_URL=$${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test} $(VENV)/bin/pytest

e2e: setup system-packages ## only the browser tests
	@$(TEST_ENV) $(VENV)/bin/pytest -m browser

lint: $(VENV)/.installed ## ruff
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check . >/dev/null || echo "(ruff format would reformat some files)"

check-deploy: $(VENV)/.installed ## Django's deployment checks under production settings
	@DEBUG=false SECURE_SSL_REDIRECT=true EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=tracker.example.nhs.uk \
	  $(PY) manage.py check --deploy --fail-level WARNING

lock: $(VENV)/.installed ## recompile the pinned requirement files (no index URLs in them)
	@$(VENV)/bin/pip-compile -q --no-emit-index-url --no-header --strip-extras -o requirements.txt requirements.in
	@$(VENV)/bin/pip-compile -q --no-emit-index-url --no-header --strip-extras -o requirements-dev.txt requirements-dev.in

demo: setup ## (re)load the demo data into the development database
	@DEBUG=true $(PY) manage.py load_demo_data

clean: ## remove the environment, built assets and the development database
	rm -rf $(VENV) node_modules $(NHSUK) staticfiles db.sqlite3* media
