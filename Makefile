# Two commands for a fresh machine:
#   make run   - virtual environment, install, migrate SQLite, load demo data, serve on :8000
#   make test  - every check and test (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SPARK_STAMP := $(VENV)/.spark-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000

.PHONY: pdf-deps run test lint typecheck checks pytest pytest-sqlite pytest-postgres browser-deps java-deps messages bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The demo is served like the product: DEBUG off, static files from the app (whitenoise), the
# designed error pages; its keys are made once under ./var (settings.demo_secrets). HOST=0.0.0.0:8000
# serves the local network (any host name is then accepted: it is a demo).
DEMO_HOSTS = $(if $(filter 0.0.0.0 [::],$(firstword $(subst :, ,$(HOST)))),*,$(firstword $(subst :, ,$(HOST))))
DEMO_ENV = TIREK_DEMO=1 DEBUG=0 TIREK_MFA_REQUIRED=0 ALLOWED_HOSTS='$(DEMO_HOSTS),127.0.0.1,localhost'

run: $(STAMP)
	$(DEMO_ENV) $(BIN)/tirek migrate --noinput
	$(DEMO_ENV) $(BIN)/tirek collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/tirek demo
	$(DEMO_ENV) $(BIN)/tirek runserver --noreload $(HOST)

# The tests also cover `tirek match --engine spark` (the spark extra, Java 17).
$(SPARK_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	rm -f $(VENV)/.spark-*
	touch $(SPARK_STAMP)

test: $(STAMP) $(SPARK_STAMP) browser-deps java-deps pdf-deps lint typecheck checks pytest

browser-deps:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

pdf-deps:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu; } || { \
		echo "Installing Debian's Pango and DejaVu fonts for the PDF reports (WeasyPrint)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

java-deps:
	@command -v java >/dev/null || { \
		echo "Installing Debian's Java 17 runtime for the Spark test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

typecheck: $(STAMP)
	TIREK_TESTING=1 $(BIN)/mypy

checks: $(STAMP)
	TIREK_TESTING=1 $(BIN)/tirek makemigrations --check --dry-run
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=tirek.example.org DEBUG=0 \
		TIREK_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet as F; print(F.generate_key().decode())') \
		TIREK_BLIND_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) \
		$(BIN)/tirek check --deploy --fail-level WARNING

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -n 2 -q

# The PostgreSQL pass runs ten years ahead (tirek.testing.clock_shift): a test that mixes a fixed
# date with the real clock fails there, years before the real clock gets there.
pytest-postgres: $(STAMP)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL, the clock ten years ahead =="; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -n 2 -q -m "not spark" --clock-shift-days=3650; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped (.ci/run sets it)"; fi

messages: $(STAMP)
	cd src/tirek && TIREK_TESTING=1 ../../$(BIN)/tirek makemessages -l kk -l ru --no-obsolete && TIREK_TESTING=1 ../../$(BIN)/tirek compilemessages
