# medshare — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install demo test test-unit test-integration lint gate stop clean help

help:
	@echo "make demo   - set everything up and run the pipeline end to end on synthetic data"
	@echo "make test   - run the whole test suite (unit + integration, real broker)"
	@echo "make lint   - ruff on the packages"
	@echo "make stop   - stop the local broker(s)"

# one virtualenv holds the whole stack; versions are locked in requirements.lock
install: $(STAMP)
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

demo: install
	$(BIN)/medshare demo

# both tiers: unit tests and integration tests against the real broker / DuckDB / Airflow.
# TEST_WORKERS pytest-xdist workers, each with its own broker, home and Postgres database
# (tests/conftest.py); a test module stays on one worker (its module fixtures run once).
# 2 by default: the whole suite passed on 2 workers in 19.6 min (3,758 tests, 2026-12-08, load
# 2.5-4 at times; 13.7 min for 3,460 on a quiet machine; 34-38 min with other jobs on it). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: install
	$(BIN)/medshare broker install
	@pg=$$(scripts/test-postgres.sh start); trap 'scripts/test-postgres.sh stop' EXIT; \
	  echo "pytest on $(TEST_WORKERS) workers (Postgres for the Postgres paths: $${pg:-none found, those tests skip})"; \
	  MEDSHARE_TEST_POSTGRES_URL=$$pg $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadscope

test-unit: install
	$(BIN)/pytest -q -m "not integration"

test-integration: install
	$(BIN)/pytest -q -m integration

lint: install
	$(BIN)/ruff check medshare privacy contracts streams dags bench tests

# breaking-change gate for data contracts (against the previous commit)
gate:
	bash scripts/contracts-gate.sh

stop:
	-$(BIN)/medshare broker stop
	-MEDSHARE_HOME=var/test MEDSHARE_KAFKA_PORT=29092 $(BIN)/medshare broker stop
	-@for h in var/test-gw*; do [ -d "$$h" ] && MEDSHARE_HOME=$$h $(BIN)/medshare broker stop; done; true

clean: stop
	rm -rf var
