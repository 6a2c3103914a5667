# Two commands do all the set-up on a fresh clone:
#   make demo   install, generate the small preset into DuckDB, build, show headline metrics
#   make test   lint + the whole test suite on DuckDB and a throwaway PostgreSQL cluster
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PRESET ?= medium

.PHONY: install demo test test-fast lint sqlfluff pytest bench superset dagster docs clean ensure-postgres consistency

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,orchestration]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/saas-metrics demo

ensure-postgres:
	@bash scripts/ensure_postgres.sh

sqlfluff: install
	$(BIN)/sqlfluff lint models analyses macros --processes 2

lint: sqlfluff
	$(BIN)/ruff check src tests

pytest: install ensure-postgres
	$(BIN)/pytest -q

test: install ensure-postgres lint pytest

# Everyday subset (about 5 min on 2 cores, 4 of them sqlfluff; its pytest part alone about
# 75 s): lint and every test that needs no built warehouse and no PostgreSQL (contract,
# docs, doctor on DuckDB, CLI, generator). `make test` runs all.
test-fast: install lint
	$(BIN)/pytest -q -m "not slow and not postgres"

# The daily job at a preset (full build as of the day before, then the next day's run),
# with MetricFlow's answer on the same warehouse: make bench PRESET=large TARGET=postgres
bench: install
	$(BIN)/saas-metrics bench --preset $(PRESET) --target $(or $(TARGET),duckdb) $(if $(AS_OF),--as-of $(AS_OF))

# A local Superset on 127.0.0.1:8088 over the demo warehouse (run `make demo` first). It
# runs in its own venv, .venv-superset (Superset pins SQLAlchemy 1.4), reads a replica of
# metrics.duckdb refreshed after each build, and prints the admin login once at start.
superset: install
	$(BIN)/saas-metrics superset-serve

# Dagster's UI on 127.0.0.1:3000 over the daily-partitioned assets (saas_metrics.orchestration.dagster)
dagster: install
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/target/dagster_home} bash -c 'mkdir -p "$$DAGSTER_HOME" && $(BIN)/dagster dev -m saas_metrics.orchestration.dagster -h 127.0.0.1 -p 3000'

docs: install
	$(BIN)/saas-metrics build --docs

clean:
	rm -rf target logs metrics.duckdb .pytest_cache

# Refactor check: the same raw data built with BASE (a commit) and with the working tree;
# every public table compared row for row (scripts/consistency_check.py). make consistency BASE=main
consistency: $(STAMP)
	$(BIN)/python scripts/consistency_check.py --base $(BASE)
